import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  NamespaceByIdRequest,
  NamespaceCreateRequest,
  NamespaceDescriptor,
  NamespaceDto,
  NamespaceListRequest,
  NamespacePage,
  NamespacePattern,
  NamespaceUpdateRequest,
} from '@app/contracts';
import { NamespacesService } from './namespaces.service';

/**
 * RPC entry points for namespaces: validated request in (global pipe), one service call, DTO out.
 * A request is the call (actor, request id, and the namespace it names if any) as it stands, then its input.
 */
@Controller()
export class NamespacesHandler {
  constructor(private readonly namespaces: NamespacesService) {}

  @MessagePattern(NamespacePattern.CREATE)
  create(@Payload() request: NamespaceCreateRequest): Promise<NamespaceDto> {
    return this.namespaces.create(request, request.body);
  }

  @MessagePattern(NamespacePattern.GET)
  get(@Payload() request: NamespaceByIdRequest): Promise<NamespaceDto> {
    return this.namespaces.get(request);
  }

  @MessagePattern(NamespacePattern.DESCRIBE)
  describe(@Payload() request: NamespaceByIdRequest): Promise<NamespaceDescriptor> {
    return this.namespaces.describe(request);
  }

  @MessagePattern(NamespacePattern.LIST)
  list(@Payload() request: NamespaceListRequest): Promise<NamespacePage> {
    return this.namespaces.list(request, request.query);
  }

  @MessagePattern(NamespacePattern.UPDATE)
  update(@Payload() request: NamespaceUpdateRequest): Promise<NamespaceDto> {
    return this.namespaces.update(request, request.body);
  }

  @MessagePattern(NamespacePattern.DELETE)
  delete(@Payload() request: NamespaceByIdRequest): Promise<{ deleted: true }> {
    return this.namespaces.delete(request);
  }
}
