import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EntryDto, SecretEntryPattern, SecretRollbackRequest, SecretRotateRequest, SecretVersionPage, SecretVersionsRequest } from '@app/contracts';
import { changeOriginOf } from '@app/entry-store';
import { SecretVersionsService } from './secret-versions.service';

/** RPC entry points for versions, rotation and rollback. */
@Controller()
export class SecretVersionsHandler {
  constructor(private readonly versions: SecretVersionsService) {}

  @MessagePattern(SecretEntryPattern.VERSIONS)
  list(@Payload() request: SecretVersionsRequest): Promise<SecretVersionPage> {
    return this.versions.list(request.actor, request.namespace, request.namespaceId, request.key, request.query);
  }

  @MessagePattern(SecretEntryPattern.ROTATE)
  rotate(@Payload() request: SecretRotateRequest): Promise<EntryDto> {
    return this.versions.rotate(request.actor, request.namespace, request.namespaceId, request.key, request.body, changeOriginOf(request));
  }

  @MessagePattern(SecretEntryPattern.ROLLBACK)
  rollback(@Payload() request: SecretRollbackRequest): Promise<EntryDto> {
    return this.versions.rollback(request.actor, request.namespace, request.namespaceId, request.key, request.body, changeOriginOf(request));
  }
}
