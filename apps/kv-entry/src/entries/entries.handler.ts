import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BulkDeleteResult,
  BulkGetResult,
  BulkKeysRequest,
  BulkSetRequest,
  BulkSetResult,
  EntryDto,
  EntryKeyRequest,
  EntryListRequest,
  EntryPage,
  EntryPattern,
  EntryPutReply,
  EntryPutRequest,
} from '@app/contracts';
import { changeOriginOf } from '@app/entry-store';
import { EntriesService } from './entries.service';

/** RPC entry points for entries: validated request in (global pipe), one service call, DTO out. */
@Controller()
export class EntriesHandler {
  constructor(private readonly entries: EntriesService) {}

  @MessagePattern(EntryPattern.GET)
  get(@Payload() request: EntryKeyRequest): Promise<EntryDto> {
    return this.entries.get(request.actor, request.namespaceId, request.key);
  }

  @MessagePattern(EntryPattern.LIST)
  list(@Payload() request: EntryListRequest): Promise<EntryPage> {
    return this.entries.list(request.actor, request.namespaceId, request.query);
  }

  @MessagePattern(EntryPattern.PUT)
  put(@Payload() request: EntryPutRequest): Promise<EntryPutReply> {
    return this.entries.put(request.actor, request.namespaceId, request.key, request.body, changeOriginOf(request));
  }

  @MessagePattern(EntryPattern.DELETE)
  delete(@Payload() request: EntryKeyRequest): Promise<{ deleted: true }> {
    return this.entries.delete(request.actor, request.namespaceId, request.key, changeOriginOf(request));
  }

  @MessagePattern(EntryPattern.BULK_GET)
  bulkGet(@Payload() request: BulkKeysRequest): Promise<BulkGetResult> {
    return this.entries.bulkGet(request.actor, request.namespaceId, request.body.keys);
  }

  @MessagePattern(EntryPattern.BULK_SET)
  bulkSet(@Payload() request: BulkSetRequest): Promise<BulkSetResult> {
    return this.entries.bulkSet(request.actor, request.namespaceId, request.body.entries, changeOriginOf(request));
  }

  @MessagePattern(EntryPattern.BULK_DELETE)
  bulkDelete(@Payload() request: BulkKeysRequest): Promise<BulkDeleteResult> {
    return this.entries.bulkDelete(request.actor, request.namespaceId, request.body.keys, changeOriginOf(request));
  }
}
