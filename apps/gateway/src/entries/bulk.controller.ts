import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuditAction,
  BulkDeleteResult,
  BulkGetResult,
  BulkKeysBody,
  BulkSetBody,
  BulkSetResult,
  ErrorCode,
  MessageMeta,
  REVISION_HEADER,
} from '@app/contracts';
import { Permission } from '@app/permissions';
import type { FastifyReply } from 'fastify';
import { Audited } from '../audit/audited.decorator';
import { RequirePermission } from '../auth/auth.decorators';
import { RequestMeta } from '../http/message-meta.decorator';
import { NamespaceId } from '../http/namespace-id.pipe';
import { EntryInputPipe } from '../validation/entry-input.pipe';
import { ApiEntriesRoute } from './api-entry-route';
import { EntryRouter } from './entry-router.service';
import { ApiIdempotencyKey } from '../idempotency/idempotency-key';
import { REVISION_RESPONSE_HEADER } from '../watch/watch-api';

@ApiTags('entries')
@Controller(':nsId/bulk')
export class BulkController {
  constructor(private readonly entries: EntryRouter) {}

  @Post('get')
  @HttpCode(HttpStatus.OK)
  @RequirePermission(Permission.EntryRead)
  // One record per call (keyPath null), whatever the number of keys.
  @Audited(AuditAction.READ, { revealsValues: true })
  @ApiOperation({
    summary: 'Get up to 1000 entries; absent keys are listed in `missing`',
    description: 'Needs `kv-entry:read`. At most 1000 keys, each a valid key path, none twice.',
  })
  @ApiEntriesRoute(ErrorCode.INVALID_KEY, ErrorCode.TOO_MANY_KEYS)
  @ApiOkResponse({ type: BulkGetResult, headers: REVISION_RESPONSE_HEADER })
  async get(
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @Body(EntryInputPipe) body: BulkKeysBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BulkGetResult> {
    const { answer, revision } = await this.entries.bulkGet(meta, namespaceId, body);
    void reply.header(REVISION_HEADER, revision);
    return answer;
  }

  @Post('set')
  @HttpCode(HttpStatus.OK)
  @RequirePermission(Permission.EntryWrite)
  @Audited(AuditAction.WRITE)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Create or replace up to 1000 entries, all or none',
    description: 'Needs `kv-entry:write`. Every entry is checked before any is written; one bad entry refuses the whole call.',
  })
  @ApiEntriesRoute(
    ErrorCode.INVALID_KEY,
    ErrorCode.INVALID_VALUE,
    ErrorCode.VALUE_TOO_LARGE,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.TOO_MANY_KEYS,
    ErrorCode.DUPLICATE_KEY,
  )
  @ApiOkResponse({ type: BulkSetResult })
  set(
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @Body(EntryInputPipe) body: BulkSetBody,
  ): Promise<BulkSetResult> {
    return this.entries.bulkSet(meta, namespaceId, body);
  }

  @Post('delete')
  @HttpCode(HttpStatus.OK)
  @RequirePermission(Permission.EntryDelete)
  @Audited(AuditAction.DELETE)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Delete up to 1000 entries; absent keys are listed in `missing`',
    description: 'Needs `kv-entry:delete`. Keys that do not exist (or have expired) are reported in `missing`, not refused.',
  })
  @ApiEntriesRoute(ErrorCode.INVALID_KEY, ErrorCode.TOO_MANY_KEYS)
  @ApiOkResponse({ type: BulkDeleteResult })
  remove(
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @Body(EntryInputPipe) body: BulkKeysBody,
  ): Promise<BulkDeleteResult> {
    return this.entries.bulkDelete(meta, namespaceId, body);
  }
}
