import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Put, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExcludeEndpoint,
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AuditAction, EntryDto, EntryKeyPage, EntryPage, EntryPutBody, ErrorCode, MessageMeta, REVISION_HEADER } from '@app/contracts';
import { Permission } from '@app/permissions';
import type { FastifyReply } from 'fastify';
import { Audited } from '../audit/audited.decorator';
import { RequirePermission } from '../auth/auth.decorators';
import { RequestMeta } from '../http/message-meta.decorator';
import { NamespaceId } from '../http/namespace-id.pipe';
import { EntryInputPipe } from '../validation/entry-input.pipe';
import { ApiEntriesRoute, ApiEntryRoute } from './api-entry-route';
import { EntryKey, acceptedAgeMsOf, etagOf, expectedVersionOf, ifNoneMatchHolds } from './entry-key';
import { EntryKeysRouteQuery, EntryListRouteQuery } from './entry-list.query';
import { EntryOperation, ForEntryOperation } from './entry-operation';
import { EntryRouter } from './entry-router.service';
import { ApiIdempotencyKey } from '../idempotency/idempotency-key';
import { REVISION_RESPONSE_HEADER } from '../watch/watch-api';

/** Entries of plain and secret namespaces alike; EntryRouter sends each call to the service that owns them. */
@ApiTags('entries')
@Controller(':nsId/entries')
export class EntriesController {
  constructor(private readonly entries: EntryRouter) {}

  @Get()
  @RequirePermission(Permission.NamespaceRead, Permission.EntryRead)
  @Audited(AuditAction.LIST, { revealsValues: true })
  @ApiOperation({
    summary: 'List entries, in key order, optionally under a prefix; with `values=false` keys only, and by level with `delimiter`',
    description:
      'Needs `kv-namespace:read` and `kv-entry:read`. Values are included; in a secret namespace each secret listed is audited as a read. ' +
      'With `values=false` (served by a route of its own): an `EntryKeyPage`, keys with their state but no value, and with `delimiter=/` the next ' +
      "level's `folders`; it needs only `kv-namespace:read`, decrypts nothing, and is one `LIST` audit record for the call. " +
      'A cursor continues only a listing of its own form (values or not, `delimiter` or not) and prefix: another is 400 `INVALID_CURSOR`.',
  })
  @ApiEntriesRoute(ErrorCode.INVALID_CURSOR)
  @ApiExtraModels(EntryPage, EntryKeyPage)
  @ApiOkResponse({
    description: '`EntryPage` with values (the default), `EntryKeyPage` with `values=false`',
    schema: { oneOf: [{ $ref: getSchemaPath(EntryPage) }, { $ref: getSchemaPath(EntryKeyPage) }] },
    headers: REVISION_RESPONSE_HEADER,
  })
  async list(
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @Query() { values: _values, delimiter: _delimiter, ...query }: EntryListRouteQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryPage> {
    const { answer, revision } = await this.entries.list(meta, namespaceId, query);
    void reply.header(REVISION_HEADER, revision);
    return answer;
  }

  /**
   * Keys only: names and state, no value, so namespace read suffices, and in a secret namespace nothing is decrypted and the
   * call is one LIST record, not a READ per secret. Documented as the `values` query of `list`, its path.
   */
  @Get()
  @ForEntryOperation(EntryOperation.LIST_KEYS)
  @RequirePermission(Permission.NamespaceRead)
  @Audited(AuditAction.LIST)
  @ApiExcludeEndpoint()
  async listKeys(
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @Query() { values: _values, ...query }: EntryKeysRouteQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryKeyPage> {
    const { answer, revision } = await this.entries.listKeys(meta, namespaceId, query);
    void reply.header(REVISION_HEADER, revision);
    return answer;
  }

  /** `?version=N` is served by SecretEntriesController.readVersion, a route of its own (see entry-operation.ts). */
  @Get('*')
  @RequirePermission(Permission.EntryRead)
  @Audited(AuditAction.READ, { revealsValues: true })
  @ApiOperation({
    summary: 'Get an entry; its version is also the ETag',
    description:
      'Needs `kv-entry:read`. The key is the rest of the path, percent-decoded once; `If-None-Match` with the current ETag answers 304.',
  })
  @ApiEntryRoute(ErrorCode.ENTRY_NOT_FOUND, ErrorCode.VERSION_NOT_FOUND, ErrorCode.NOT_A_SECRET_NAMESPACE)
  @ApiQuery({
    name: 'version',
    required: false,
    type: Number,
    description:
      'Secret namespaces only: read this old version instead of the current one (no ETag). Needs `kv-secret:versions` instead of `kv-entry:read`',
  })
  @ApiHeader({
    name: 'Cache-Control',
    required: false,
    description:
      'Plain namespaces: `max-age=N` accepts a copy the gateway read at most N seconds ago and kept. It is evicted when an event says the entry changed: a write through another gateway replica usually shows within milliseconds, at most N seconds later should its event be held up. Without it, the stored entry is read',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag the caller holds, e.g. "3": 304 Not Modified, without a body, while it is current',
  })
  @ApiOkResponse({ type: EntryDto, headers: REVISION_RESPONSE_HEADER })
  @ApiResponse({ status: HttpStatus.NOT_MODIFIED, description: 'The entry is still the version `If-None-Match` names' })
  async get(
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @EntryKey() key: string,
    @Headers('cache-control') cacheControl: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const { answer: entry, revision } = await this.entries.get(meta, namespaceId, key, acceptedAgeMsOf(cacheControl));
    const etag = etagOf(entry.version);
    void reply.header('etag', etag).header(REVISION_HEADER, revision);
    // Still a read, audited as one; Node sends a 304 without the body.
    if (ifNoneMatchHolds(ifNoneMatch, etag)) void reply.code(HttpStatus.NOT_MODIFIED);
    return entry;
  }

  @Put('*')
  @RequirePermission(Permission.EntryWrite)
  @Audited(AuditAction.WRITE)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Create or replace an entry (201 when created, 200 when replaced); in a secret namespace, as a new version',
    description:
      'Needs `kv-entry:write`. The body is JSON only; `expectedVersion` (or `If-Match`) makes the write conditional (409 `VERSION_CONFLICT`).',
  })
  @ApiEntryRoute(ErrorCode.INVALID_VALUE, ErrorCode.VALUE_TOO_LARGE, ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.VERSION_CONFLICT)
  @ApiHeader({ name: 'If-Match', required: false, description: 'Expected current version, e.g. "3"; same as body `expectedVersion`' })
  @ApiCreatedResponse({ type: EntryDto, description: 'Created' })
  @ApiOkResponse({ type: EntryDto, description: 'Replaced' })
  async put(
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @EntryKey() key: string,
    @Body(EntryInputPipe) body: EntryPutBody,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const expectedVersion = expectedVersionOf(body.expectedVersion, ifMatch);
    const { entry, created } = await this.entries.put(meta, namespaceId, key, { ...body, expectedVersion });
    void reply.status(created ? HttpStatus.CREATED : HttpStatus.OK).header('etag', etagOf(entry.version));
    return entry;
  }

  @Delete('*')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission(Permission.EntryDelete)
  @Audited(AuditAction.DELETE)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Delete an entry',
    description:
      'Needs `kv-entry:delete`. Answers 204, or 404 `ENTRY_NOT_FOUND` when there is none; in a secret namespace its versions go too.',
  })
  @ApiEntryRoute(ErrorCode.ENTRY_NOT_FOUND)
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@RequestMeta() meta: MessageMeta, @NamespaceId() namespaceId: string, @EntryKey() key: string): Promise<void> {
    await this.entries.delete(meta, namespaceId, key);
  }
}
