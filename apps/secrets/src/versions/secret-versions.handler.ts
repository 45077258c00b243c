import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  EntryDto,
  SecretEntryPattern,
  SecretRollbackRequest,
  SecretRotateRequest,
  SecretVersionPage,
  SecretVersionsRequest,
} from '@app/contracts';
import { SecretVersionsService } from './secret-versions.service';

/** RPC entry points for versions, rotation and rollback. */
@Controller()
export class SecretVersionsHandler {
  constructor(private readonly versions: SecretVersionsService) {}

  @MessagePattern(SecretEntryPattern.VERSIONS)
  list(@Payload() request: SecretVersionsRequest): Promise<SecretVersionPage> {
    return this.versions.list(request, request.key, request.query);
  }

  @MessagePattern(SecretEntryPattern.ROTATE)
  rotate(@Payload() request: SecretRotateRequest): Promise<EntryDto> {
    return this.versions.rotate(request, request.key, request.body);
  }

  @MessagePattern(SecretEntryPattern.ROLLBACK)
  rollback(@Payload() request: SecretRollbackRequest): Promise<EntryDto> {
    return this.versions.rollback(request, request.key, request.body);
  }
}
