import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Put, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags,
} from '@nestjs/swagger';
import { EntryDto, EntryListQuery, EntryPage, EntryPattern, EntryPutBody, ErrorCode, MessageMeta } from '@app/contracts';
import { Permission } from '@app/permissions';
import type { FastifyReply } from 'fastify';
import { RequirePermission } from '../auth/auth.decorators';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ApiNamespaceIdParam } from '../http/api-params';
import { RequestMeta } from '../http/message-meta.decorator';
import { NamespaceIdPipe } from '../http/namespace-id.pipe';
import { KvEntryClient } from '../rpc/kv-entry.client';
import { EntryInputPipe } from '../validation/entry-input.pipe';
import { EntryKey, etagOf, expectedVersionOf } from './entry-key';

/** Documented as `{key}`; the OpenAPI document's `*` path segment is renamed to match (see swagger/). */
const KEY_PARAM = ApiParam({
  name: 'key',
  type: String,
  description: 'Key path, the rest of the URL (e.g. `config/database/host`); percent-decoded once, so `%2F` is a "/" and `%25` a "%"',
  example: 'config/database/host',
});

@ApiTags('entries')
@Controller(':nsId/entries')
export class EntriesController {
  constructor(private readonly kvEntry: KvEntryClient) {}

  @Get()
  @RequirePermission(Permission.NamespaceRead, Permission.EntryRead)
  @ApiOperation({ summary: 'List entries, in key order, optionally under a prefix' })
  @ApiNamespaceIdParam()
  @ApiOkResponse({ type: EntryPage })
  @ApiErrors(ErrorCode.NAMESPACE_NOT_FOUND, ErrorCode.INVALID_CURSOR)
  list(
    @RequestMeta() meta: MessageMeta,
    @Param('nsId', NamespaceIdPipe) namespaceId: string,
    @Query() query: EntryListQuery,
  ): Promise<EntryPage> {
    return this.kvEntry.send(EntryPattern.LIST, { ...meta, namespaceId, query });
  }

  @Get('*')
  @RequirePermission(Permission.EntryRead)
  @ApiOperation({ summary: 'Get an entry; its version is also the ETag' })
  @ApiNamespaceIdParam()
  @KEY_PARAM
  @ApiOkResponse({ type: EntryDto })
  @ApiErrors(ErrorCode.NAMESPACE_NOT_FOUND, ErrorCode.ENTRY_NOT_FOUND, ErrorCode.INVALID_KEY)
  async get(
    @RequestMeta() meta: MessageMeta,
    @Param('nsId', NamespaceIdPipe) namespaceId: string,
    @EntryKey() key: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const entry = await this.kvEntry.send(EntryPattern.GET, { ...meta, namespaceId, key });
    void reply.header('etag', etagOf(entry.version));
    return entry;
  }

  @Put('*')
  @RequirePermission(Permission.EntryWrite)
  @ApiOperation({ summary: 'Create or replace an entry (201 when created, 200 when replaced)' })
  @ApiNamespaceIdParam()
  @KEY_PARAM
  @ApiHeader({ name: 'If-Match', required: false, description: 'Expected current version, e.g. "3"; same as body `expectedVersion`' })
  @ApiCreatedResponse({ type: EntryDto, description: 'Created' })
  @ApiOkResponse({ type: EntryDto, description: 'Replaced' })
  @ApiErrors(
    ErrorCode.NAMESPACE_NOT_FOUND, ErrorCode.INVALID_KEY, ErrorCode.INVALID_VALUE, ErrorCode.VALUE_TOO_LARGE,
    ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.VERSION_CONFLICT, ErrorCode.SECRET_NAMESPACE_UNSUPPORTED,
  )
  async put(
    @RequestMeta() meta: MessageMeta,
    @Param('nsId', NamespaceIdPipe) namespaceId: string,
    @EntryKey() key: string,
    @Body(EntryInputPipe) body: EntryPutBody,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const expectedVersion = expectedVersionOf(body.expectedVersion, ifMatch);
    const { entry, created } = await this.kvEntry.send(EntryPattern.PUT, { ...meta, namespaceId, key, body: { ...body, expectedVersion } });
    void reply.status(created ? HttpStatus.CREATED : HttpStatus.OK).header('etag', etagOf(entry.version));
    return entry;
  }

  @Delete('*')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission(Permission.EntryDelete)
  @ApiOperation({ summary: 'Delete an entry' })
  @ApiNamespaceIdParam()
  @KEY_PARAM
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(ErrorCode.NAMESPACE_NOT_FOUND, ErrorCode.ENTRY_NOT_FOUND, ErrorCode.INVALID_KEY)
  async remove(
    @RequestMeta() meta: MessageMeta,
    @Param('nsId', NamespaceIdPipe) namespaceId: string,
    @EntryKey() key: string,
  ): Promise<void> {
    await this.kvEntry.send(EntryPattern.DELETE, { ...meta, namespaceId, key });
  }
}
