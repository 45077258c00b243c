import { Controller, ExecutionContext, Get, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, KvException } from '@app/contracts';
import { Permission, Principal } from '@app/permissions';
import {
  Public,
  RequireApplicationAccess,
  RequirePermission,
  RequirePermissionInSomeNamespace,
  RequirePermissionOnQueriedNamespace,
} from './auth.decorators';
import { PermissionGuard } from './permission.guard';
import { aPrincipal } from '../../../../test/support/principals';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
const OTHER_NS = '11111111-2222-4333-8444-555555555555';

@Controller()
class TestController {
  @Get() @RequirePermission(Permission.EntryRead) readEntry() {}
  @Get() @RequirePermission(Permission.NamespaceRead, Permission.EntryRead) listEntries() {}
  @Get() @RequirePermissionInSomeNamespace(Permission.NamespaceRead) listNamespaces() {}
  @Get() @RequirePermissionOnQueriedNamespace(Permission.AuditRead) listAudit() {}
  @Post() @RequirePermission(Permission.NamespaceWrite) @RequireApplicationAccess('applicationId') createNamespace() {}
  @Get() @Public() health() {}
  @Get() undeclared() {}
}

@Public()
@Controller()
class PublicController {
  @Get() anything() {}
}

function contextFor(
  handler: keyof TestController | 'anything',
  request: { principal?: Principal; params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown },
): ExecutionContext {
  const controller = handler === 'anything' ? PublicController : TestController;
  return {
    getHandler: () => (controller.prototype as unknown as Record<string, () => void>)[handler],
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => ({ params: {}, query: {}, ...request }) }),
  } as unknown as ExecutionContext;
}

describe('PermissionGuard', () => {
  const guard = new PermissionGuard(new Reflector());
  const check = (...args: Parameters<typeof contextFor>) => {
    try {
      return guard.canActivate(contextFor(...args));
    } catch (error) {
      if (error instanceof KvException) return `${error.code}: ${error.message}`;
      throw error;
    }
  };

  it('allows a caller holding the permission', () => {
    expect(check('readEntry', { principal: aPrincipal(['kv-entry:read']), params: { nsId: NS } })).toBe(true);
    expect(check('readEntry', { principal: aPrincipal(['kv-entry:*']), params: { nsId: NS } })).toBe(true);
    expect(check('readEntry', { principal: aPrincipal(['*']), params: { nsId: NS } })).toBe(true);
  });

  it('refuses a caller missing the permission, naming it', () => {
    expect(check('readEntry', { principal: aPrincipal(['kv-entry:write']), params: { nsId: NS } })).toBe(
      `${ErrorCode.FORBIDDEN}: missing permission kv-entry:read`,
    );
  });

  it('requires every declared permission', () => {
    expect(check('listEntries', { principal: aPrincipal(['kv-entry:read']), params: { nsId: NS } })).toBe(
      `${ErrorCode.FORBIDDEN}: missing permission kv-namespace:read`,
    );
    expect(check('listEntries', { principal: aPrincipal(['kv-entry:read', 'kv-namespace:read']), params: { nsId: NS } })).toBe(true);
  });

  it('honours a namespace-scoped grant on its own namespace only', () => {
    const scoped = aPrincipal([`kv-entry:read@${NS}`]);
    expect(check('readEntry', { principal: scoped, params: { nsId: NS } })).toBe(true);
    expect(check('readEntry', { principal: scoped, params: { nsId: OTHER_NS } })).toBe(
      `${ErrorCode.FORBIDDEN}: missing permission kv-entry:read`,
    );
  });

  it('checks a scoped grant against the id as the handler uses it (lower case), whatever case the route spells', () => {
    expect(check('readEntry', { principal: aPrincipal([`kv-entry:read@${NS}`]), params: { nsId: NS.toUpperCase() } })).toBe(true);
    expect(check('readEntry', { principal: aPrincipal([`kv-entry:read@${NS.toUpperCase()}`]), params: { nsId: NS.toUpperCase() } })).toBe(
      `${ErrorCode.FORBIDDEN}: missing permission kv-entry:read`,
    );
  });

  it('lets a namespace-scoped grant list namespaces (the service shows only those)', () => {
    expect(check('listNamespaces', { principal: aPrincipal([`kv-namespace:read@${NS}`]) })).toBe(true);
    expect(check('listNamespaces', { principal: aPrincipal(['kv-entry:read']) })).toBe(
      `${ErrorCode.FORBIDDEN}: missing permission kv-namespace:read`,
    );
  });

  it('honours a namespace-scoped grant on a query of its own namespace only, whatever case the query spells', () => {
    const scoped = aPrincipal([`kv-audit:read@${NS}`]);
    expect(check('listAudit', { principal: scoped, query: { namespaceId: NS } })).toBe(true);
    expect(check('listAudit', { principal: scoped, query: { namespaceId: NS.toUpperCase() } })).toBe(true);
    for (const query of [{}, { namespaceId: OTHER_NS }, { namespaceId: [NS, OTHER_NS] }, { namespaceId: `${NS},${OTHER_NS}` }]) {
      expect(check('listAudit', { principal: scoped, query })).toBe(`${ErrorCode.FORBIDDEN}: missing permission kv-audit:read`);
    }
  });

  it('takes the namespace of a queried-namespace route from the query, never from the path', () => {
    expect(check('listAudit', { principal: aPrincipal([`kv-audit:read@${NS}`]), params: { nsId: NS } })).toBe(
      `${ErrorCode.FORBIDDEN}: missing permission kv-audit:read`,
    );
    expect(check('listAudit', { principal: aPrincipal(['kv-audit:read']) })).toBe(true);
  });

  it('does not let a namespace-scoped grant create namespaces', () => {
    expect(check('createNamespace', { principal: aPrincipal([`kv-namespace:write@${NS}`]), body: { applicationId: 'billing' } })).toBe(
      `${ErrorCode.FORBIDDEN}: missing permission kv-namespace:write`,
    );
  });

  it('refuses to create a namespace in an application the caller cannot access', () => {
    const writer = aPrincipal(['kv-namespace:write'], { applications: ['billing'] });
    expect(check('createNamespace', { principal: writer, body: { applicationId: 'billing' } })).toBe(true);
    expect(check('createNamespace', { principal: writer, body: { applicationId: 'payroll' } })).toBe(
      `${ErrorCode.FORBIDDEN}: no access to application payroll`,
    );
    // A missing id is left to validation (400).
    expect(check('createNamespace', { principal: writer, body: {} })).toBe(true);
  });

  it('denies a route that declares no permission, whatever the caller holds', () => {
    expect(check('undeclared', { principal: aPrincipal(['*']) })).toBe(`${ErrorCode.FORBIDDEN}: route declares no permission`);
  });

  it('lets a public route (or a public controller) through without a principal', () => {
    expect(check('health', {})).toBe(true);
    expect(check('anything', {})).toBe(true);
  });

  it('refuses a declared route reached without a principal', () => {
    expect(check('readEntry', { params: { nsId: NS } })).toBe(`${ErrorCode.UNAUTHENTICATED}: authentication required`);
  });

  it('never grants on an unknown permission string', () => {
    expect(
      check('readEntry', { principal: aPrincipal(['kv-entry:read:extra', 'KV-ENTRY:READ', 'kv-entry:read@']), params: { nsId: NS } }),
    ).toBe(`${ErrorCode.FORBIDDEN}: missing permission kv-entry:read`);
  });
});
