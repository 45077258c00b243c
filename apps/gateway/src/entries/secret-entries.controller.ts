import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuditAction,
  EntryDto,
  ErrorCode,
  MessageMeta,
  REVISION_HEADER,
  SecretRollbackBody,
  SecretRotateBody,
  SecretVersionPage,
  SecretVersionQuery,
} from '@app/contracts';
import { Permission } from '@app/permissions';
import type { FastifyReply } from 'fastify';
import { Audited } from '../audit/audited.decorator';
import { RequirePermission } from '../auth/auth.decorators';
import { RequestMeta } from '../http/message-meta.decorator';
import { NamespaceId } from '../http/namespace-id.pipe';
import { EntryInputPipe } from '../validation/entry-input.pipe';
import { ApiEntryRoute } from './api-entry-route';
import { EntryKey, etagOf } from './entry-key';
import { EntryOperation, ForEntryOperation } from './entry-operation';
import { EntryRouter } from './entry-router.service';
import { EntryVersionQuery } from './entry-version.query';
import { ApiIdempotencyKey } from '../idempotency/idempotency-key';

/**
 * What only secret namespaces have: versions and rotation. Each operation is a route of its own
 * (see entry-operation.ts) and declares its own permission; on a plain namespace each answers
 * NOT_A_SECRET_NAMESPACE once the caller's permission is checked.
 */
@ApiTags('secrets')
@Controller(':nsId/entries')
export class SecretEntriesController {
  constructor(private readonly entries: EntryRouter) {}

  /** Documented as the `version` query of `GET /{nsId}/entries/{key}` (EntriesController.get), its path. */
  @Get('*')
  @ForEntryOperation(EntryOperation.READ_VERSION)
  @RequirePermission(Permission.SecretVersions)
  @Audited(AuditAction.READ, { revealsValues: true })
  @ApiExcludeEndpoint()
  async readVersion(
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @EntryKey() key: string,
    @Query() query: EntryVersionQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const { answer, revision } = await this.entries.readVersion(meta, namespaceId, key, query.version);
    void reply.header(REVISION_HEADER, revision);
    return answer;
  }

  @Get(`*/${EntryOperation.VERSIONS}`)
  @RequirePermission(Permission.EntryRead)
  @Audited(AuditAction.READ)
  @ApiOperation({
    summary: "List a secret's versions, newest first: who made each and why, never their values",
    description: 'Needs `kv-entry:read`, in a secret namespace (else 400 `NOT_A_SECRET_NAMESPACE`).',
  })
  @ApiEntryRoute(ErrorCode.ENTRY_NOT_FOUND, ErrorCode.INVALID_CURSOR, ErrorCode.NOT_A_SECRET_NAMESPACE)
  @ApiOkResponse({ type: SecretVersionPage })
  versions(
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @EntryKey(EntryOperation.VERSIONS) key: string,
    @Query() query: SecretVersionQuery,
  ): Promise<SecretVersionPage> {
    return this.entries.versions(meta, namespaceId, key, query);
  }

  @Post(`*/${EntryOperation.ROTATE}`)
  @HttpCode(HttpStatus.OK)
  @RequirePermission(Permission.SecretRotate)
  @Audited(AuditAction.ROTATE)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Rotate a secret: its new value (given, or generated and returned in this response) becomes a new version',
    description:
      'Needs `kv-secret:rotate`. Without `value`, a random STRING of `length` characters from `alphabet` is generated; `reason` is kept with the version.',
  })
  @ApiEntryRoute(ErrorCode.ENTRY_NOT_FOUND, ErrorCode.INVALID_VALUE, ErrorCode.VALUE_TOO_LARGE, ErrorCode.NOT_A_SECRET_NAMESPACE)
  @ApiOkResponse({ type: EntryDto, description: 'The new current version; its version is also the ETag' })
  async rotate(
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @EntryKey(EntryOperation.ROTATE) key: string,
    @Body(EntryInputPipe) body: SecretRotateBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const entry = await this.entries.rotate(meta, namespaceId, key, body);
    void reply.header('etag', etagOf(entry.version));
    return entry;
  }

  @Post(`*/${EntryOperation.ROLLBACK}`)
  @HttpCode(HttpStatus.OK)
  @RequirePermission(Permission.SecretRotate)
  @Audited(AuditAction.ROLLBACK)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Roll a secret back: an old version's value becomes current again, as a new version",
    description:
      "Needs `kv-secret:rotate`. The old version must still be kept (404 `VERSION_NOT_FOUND` once pruned by the namespace's version cap).",
  })
  @ApiEntryRoute(ErrorCode.ENTRY_NOT_FOUND, ErrorCode.VERSION_NOT_FOUND, ErrorCode.NOT_A_SECRET_NAMESPACE)
  @ApiOkResponse({ type: EntryDto, description: 'The new current version; its version is also the ETag' })
  async rollback(
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @EntryKey(EntryOperation.ROLLBACK) key: string,
    @Body() body: SecretRollbackBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const entry = await this.entries.rollback(meta, namespaceId, key, body);
    void reply.header('etag', etagOf(entry.version));
    return entry;
  }
}
