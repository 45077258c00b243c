import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BulkDeleteResult,
  BulkGetResult,
  BulkKeysRequest,
  BulkSetRequest,
  BulkSetResult,
  EntryDto,
  EntryKeyListRequest,
  EntryKeyPage,
  EntryKeyRequest,
  EntryListRequest,
  EntryPage,
  EntryPattern,
  EntryPutReply,
  EntryPutRequest,
  WithRevision,
} from '@app/contracts';
import { EntriesService } from './entries.service';

/**
 * RPC entry points for entries: validated request in (global pipe), one service call, DTO out.
 * A request is the call (actor, request id, namespace) as it stands, followed by its input.
 */
@Controller()
export class EntriesHandler {
  constructor(private readonly entries: EntriesService) {}

  @MessagePattern(EntryPattern.GET)
  get(@Payload() request: EntryKeyRequest): Promise<EntryDto & WithRevision> {
    return this.entries.get(request, request.key);
  }

  @MessagePattern(EntryPattern.LIST)
  list(@Payload() request: EntryListRequest): Promise<EntryPage & WithRevision> {
    return this.entries.list(request, request.query);
  }

  @MessagePattern(EntryPattern.LIST_KEYS)
  listKeys(@Payload() request: EntryKeyListRequest): Promise<EntryKeyPage & WithRevision> {
    return this.entries.listKeys(request, request.query);
  }

  @MessagePattern(EntryPattern.PUT)
  put(@Payload() request: EntryPutRequest): Promise<EntryPutReply> {
    return this.entries.put(request, request.key, request.body);
  }

  @MessagePattern(EntryPattern.DELETE)
  delete(@Payload() request: EntryKeyRequest): Promise<{ deleted: true }> {
    return this.entries.delete(request, request.key);
  }

  @MessagePattern(EntryPattern.BULK_GET)
  bulkGet(@Payload() request: BulkKeysRequest): Promise<BulkGetResult & WithRevision> {
    return this.entries.bulkGet(request, request.body.keys);
  }

  @MessagePattern(EntryPattern.BULK_SET)
  bulkSet(@Payload() request: BulkSetRequest): Promise<BulkSetResult> {
    return this.entries.bulkSet(request, request.body.entries);
  }

  @MessagePattern(EntryPattern.BULK_DELETE)
  bulkDelete(@Payload() request: BulkKeysRequest): Promise<BulkDeleteResult> {
    return this.entries.bulkDelete(request, request.body.keys);
  }
}
