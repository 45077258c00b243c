import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BulkDeleteResult, BulkGetResult, BulkSetResult, EntryDto, EntryPage, EntryPutReply, SecretBulkKeysRequest, SecretBulkSetRequest,
  SecretEntryGetRequest, SecretEntryKeyRequest, SecretEntryListRequest, SecretEntryPattern, SecretEntryPutRequest,
} from '@app/contracts';
import { changeOriginOf } from '@app/entry-store';
import { SecretVersionsService } from '../versions/secret-versions.service';
import { SecretEntriesService } from './secret-entries.service';

/** RPC entry points for secret entries: validated request in (global pipe), one service call, DTO out. */
@Controller()
export class SecretEntriesHandler {
  constructor(
    private readonly entries: SecretEntriesService,
    private readonly versions: SecretVersionsService,
  ) {}

  /** The current value, or with `version` an old one (which needs its own permission). */
  @MessagePattern(SecretEntryPattern.GET)
  get(@Payload() request: SecretEntryGetRequest): Promise<EntryDto> {
    return request.version === undefined
      ? this.entries.get(request.actor, request.namespace, request.namespaceId, request.key)
      : this.versions.read(request.actor, request.namespace, request.namespaceId, request.key, request.version);
  }

  @MessagePattern(SecretEntryPattern.LIST)
  list(@Payload() request: SecretEntryListRequest): Promise<EntryPage> {
    return this.entries.list(request.actor, request.namespace, request.namespaceId, request.query);
  }

  @MessagePattern(SecretEntryPattern.PUT)
  put(@Payload() request: SecretEntryPutRequest): Promise<EntryPutReply> {
    return this.entries.put(request.actor, request.namespace, request.namespaceId, request.key, request.body, changeOriginOf(request));
  }

  @MessagePattern(SecretEntryPattern.DELETE)
  delete(@Payload() request: SecretEntryKeyRequest): Promise<{ deleted: true }> {
    return this.entries.delete(request.actor, request.namespace, request.namespaceId, request.key, changeOriginOf(request));
  }

  @MessagePattern(SecretEntryPattern.BULK_GET)
  bulkGet(@Payload() request: SecretBulkKeysRequest): Promise<BulkGetResult> {
    return this.entries.bulkGet(request.actor, request.namespace, request.namespaceId, request.body.keys);
  }

  @MessagePattern(SecretEntryPattern.BULK_SET)
  bulkSet(@Payload() request: SecretBulkSetRequest): Promise<BulkSetResult> {
    return this.entries.bulkSet(request.actor, request.namespace, request.namespaceId, request.body.entries, changeOriginOf(request));
  }

  @MessagePattern(SecretEntryPattern.BULK_DELETE)
  bulkDelete(@Payload() request: SecretBulkKeysRequest): Promise<BulkDeleteResult> {
    return this.entries.bulkDelete(request.actor, request.namespace, request.namespaceId, request.body.keys, changeOriginOf(request));
  }
}
