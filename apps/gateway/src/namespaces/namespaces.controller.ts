import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditAction, ErrorCode, MessageMeta, NamespaceDto, NamespaceInput, NamespaceListQuery, NamespacePage } from '@app/contracts';
import { Permission } from '@app/permissions';
import { Audited } from '../audit/audited.decorator';
import { RequireApplicationAccess, RequirePermission, RequirePermissionInSomeNamespace } from '../auth/auth.decorators';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ApiNamespaceIdParam } from '../http/api-params';
import { RequestMeta } from '../http/message-meta.decorator';
import { NamespaceId } from '../http/namespace-id.pipe';
import { NamespacesService } from './namespaces.service';

@ApiTags('namespaces')
@Controller('namespaces')
export class NamespacesController {
  constructor(private readonly namespaces: NamespacesService) {}

  @Get()
  @RequirePermissionInSomeNamespace(Permission.NamespaceRead)
  @Audited(AuditAction.NAMESPACE_READ)
  @ApiOperation({
    summary: 'List the namespaces of the applications the caller may access',
    description:
      "Needs `kv-namespace:read` in at least one namespace; lists only namespaces the token's `apps` and grants reach, by application and name, keyset-paginated (`nextCursor`).",
  })
  @ApiOkResponse({ type: NamespacePage })
  @ApiErrors(ErrorCode.INVALID_CURSOR)
  list(@RequestMeta() meta: MessageMeta, @Query() query: NamespaceListQuery): Promise<NamespacePage> {
    return this.namespaces.list(meta, query);
  }

  @Get(':nsId')
  @RequirePermission(Permission.NamespaceRead)
  @Audited(AuditAction.NAMESPACE_READ)
  @ApiOperation({
    summary: 'Get a namespace',
    description:
      "Needs `kv-namespace:read`. A namespace of an application outside the token's `apps` answers 404, like one that does not exist.",
  })
  @ApiNamespaceIdParam()
  @ApiOkResponse({ type: NamespaceDto })
  @ApiErrors(ErrorCode.NAMESPACE_NOT_FOUND)
  get(@RequestMeta() meta: MessageMeta, @NamespaceId() namespaceId: string): Promise<NamespaceDto> {
    return this.namespaces.get(meta, namespaceId);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @RequirePermission(Permission.NamespaceWrite)
  @RequireApplicationAccess('applicationId')
  @Audited(AuditAction.NAMESPACE_CREATE)
  @ApiOperation({
    summary: 'Create a namespace in an application the caller may access',
    description:
      "Needs `kv-namespace:write` and the application in the token's `apps`. Names are unique within an application (409 `NAMESPACE_EXISTS`); `isSecretNamespace` cannot change later.",
  })
  @ApiCreatedResponse({ type: NamespaceDto, description: 'Created' })
  @ApiErrors(ErrorCode.NAMESPACE_EXISTS)
  create(@RequestMeta() meta: MessageMeta, @Body() body: NamespaceInput): Promise<NamespaceDto> {
    return this.namespaces.create(meta, body);
  }

  @Put(':nsId')
  @RequirePermission(Permission.NamespaceWrite)
  @Audited(AuditAction.NAMESPACE_UPDATE)
  @ApiOperation({
    summary: "Replace a namespace's name, description, default TTL and version cap (its kind and application cannot change)",
    description:
      'Needs `kv-namespace:write`. The body replaces every field it names; `isSecretNamespace` and `applicationId` must stay as they are.',
  })
  @ApiNamespaceIdParam()
  @ApiOkResponse({ type: NamespaceDto })
  @ApiErrors(ErrorCode.NAMESPACE_NOT_FOUND, ErrorCode.NAMESPACE_EXISTS, ErrorCode.NAMESPACE_KIND_IMMUTABLE, ErrorCode.APPLICATION_IMMUTABLE)
  update(@RequestMeta() meta: MessageMeta, @NamespaceId() namespaceId: string, @Body() body: NamespaceInput): Promise<NamespaceDto> {
    return this.namespaces.update(meta, namespaceId, body);
  }

  @Delete(':nsId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission(Permission.NamespaceDelete)
  @Audited(AuditAction.NAMESPACE_DELETE)
  @ApiOperation({
    summary: 'Delete a namespace and its entries (of a secret namespace: its secrets and all their versions)',
    description: 'Needs `kv-namespace:delete`. Answers 204; every entry ends with a `kv.entry.deleted` event.',
  })
  @ApiNamespaceIdParam()
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(ErrorCode.NAMESPACE_NOT_FOUND)
  remove(@RequestMeta() meta: MessageMeta, @NamespaceId() namespaceId: string): Promise<void> {
    return this.namespaces.delete(meta, namespaceId);
  }
}
