import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BulkDeleteResult,
  BulkGetResult,
  BulkSetResult,
  EntryDto,
  EntryKeyPage,
  EntryPage,
  EntryPutReply,
  SecretBulkKeysRequest,
  SecretBulkSetRequest,
  SecretEntryGetRequest,
  SecretEntryKeyListRequest,
  SecretEntryKeyRequest,
  SecretEntryListRequest,
  SecretEntryPattern,
  SecretEntryPutRequest,
  WithRevision,
} from '@app/contracts';
import { SecretVersionsService } from '../versions/secret-versions.service';
import { SecretEntriesService } from './secret-entries.service';

/**
 * RPC entry points for secret entries: validated request in (global pipe), one service call, DTO out.
 * A request is the call (actor, request id, namespace) as it stands, followed by its input.
 */
@Controller()
export class SecretEntriesHandler {
  constructor(
    private readonly entries: SecretEntriesService,
    private readonly versions: SecretVersionsService,
  ) {}

  /** The current value, or with `version` an old one (which needs its own permission). */
  @MessagePattern(SecretEntryPattern.GET)
  get(@Payload() request: SecretEntryGetRequest): Promise<EntryDto & WithRevision> {
    return request.version === undefined
      ? this.entries.get(request, request.key)
      : this.versions.read(request, request.key, request.version);
  }

  @MessagePattern(SecretEntryPattern.LIST)
  list(@Payload() request: SecretEntryListRequest): Promise<EntryPage & WithRevision> {
    return this.entries.list(request, request.query);
  }

  @MessagePattern(SecretEntryPattern.LIST_KEYS)
  listKeys(@Payload() request: SecretEntryKeyListRequest): Promise<EntryKeyPage & WithRevision> {
    return this.entries.listKeys(request, request.query);
  }

  @MessagePattern(SecretEntryPattern.PUT)
  put(@Payload() request: SecretEntryPutRequest): Promise<EntryPutReply> {
    return this.entries.put(request, request.key, request.body);
  }

  @MessagePattern(SecretEntryPattern.DELETE)
  delete(@Payload() request: SecretEntryKeyRequest): Promise<{ deleted: true }> {
    return this.entries.delete(request, request.key);
  }

  @MessagePattern(SecretEntryPattern.BULK_GET)
  bulkGet(@Payload() request: SecretBulkKeysRequest): Promise<BulkGetResult & WithRevision> {
    return this.entries.bulkGet(request, request.body.keys);
  }

  @MessagePattern(SecretEntryPattern.BULK_SET)
  bulkSet(@Payload() request: SecretBulkSetRequest): Promise<BulkSetResult> {
    return this.entries.bulkSet(request, request.body.entries);
  }

  @MessagePattern(SecretEntryPattern.BULK_DELETE)
  bulkDelete(@Payload() request: SecretBulkKeysRequest): Promise<BulkDeleteResult> {
    return this.entries.bulkDelete(request, request.body.keys);
  }
}
