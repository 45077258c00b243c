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
import { changeOriginOf } from '@app/entry-store';
import { NamespacesService } from './namespaces.service';

/** RPC entry points for namespaces: validated request in (global pipe), one service call, DTO out. */
@Controller()
export class NamespacesHandler {
  constructor(private readonly namespaces: NamespacesService) {}

  @MessagePattern(NamespacePattern.CREATE)
  create(@Payload() request: NamespaceCreateRequest): Promise<NamespaceDto> {
    return this.namespaces.create(request.actor, request.body, changeOriginOf(request));
  }

  @MessagePattern(NamespacePattern.GET)
  get(@Payload() request: NamespaceByIdRequest): Promise<NamespaceDto> {
    return this.namespaces.get(request.actor, request.namespaceId);
  }

  @MessagePattern(NamespacePattern.DESCRIBE)
  describe(@Payload() request: NamespaceByIdRequest): Promise<NamespaceDescriptor> {
    return this.namespaces.describe(request.actor, request.namespaceId);
  }

  @MessagePattern(NamespacePattern.LIST)
  list(@Payload() request: NamespaceListRequest): Promise<NamespacePage> {
    return this.namespaces.list(request.actor, request.query);
  }

  @MessagePattern(NamespacePattern.UPDATE)
  update(@Payload() request: NamespaceUpdateRequest): Promise<NamespaceDto> {
    return this.namespaces.update(request.actor, request.namespaceId, request.body, changeOriginOf(request));
  }

  @MessagePattern(NamespacePattern.DELETE)
  delete(@Payload() request: NamespaceByIdRequest): Promise<{ deleted: true }> {
    return this.namespaces.delete(request.actor, request.namespaceId, changeOriginOf(request));
  }
}
