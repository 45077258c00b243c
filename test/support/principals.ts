/**
 * The callers of every test tier, from one place: a principal for the services' own methods, the
 * MessageMeta a service receives from the gateway, and a signed token of it for HTTP calls. Named
 * `anAdmin()`, `aReader()`... so that a test can keep `admin`, `reader` for its tokens.
 */
import type { MessageMeta } from '@app/contracts';
import { Permission, Principal } from '@app/permissions';
import { mintToken } from '@app/tokens';

const ALL_APPLICATIONS: readonly string[] = ['*'];

export interface PrincipalOptions {
  /** The token's `sub`; each factory has its own default. */
  id?: string;
  /** Every application unless given. */
  applications?: readonly string[];
}

/** Holds exactly `permissions` (plain, `resource:*`, `*` or scoped `…@<namespaceId>`). */
export function aPrincipal(permissions: readonly string[], options: PrincipalOptions = {}): Principal {
  const { id = 'user', applications = ALL_APPLICATIONS } = options;
  return { id, permissions: [...permissions], applications: [...applications] };
}

/** Every permission (`*`). */
export function anAdmin(options: PrincipalOptions = {}): Principal {
  return aPrincipal(['*'], { id: 'admin', ...options });
}

/** Sees namespaces and reads entry values, and nothing more. */
export function aReader(options: PrincipalOptions = {}): Principal {
  return aPrincipal([Permission.NamespaceRead, Permission.EntryRead], { id: 'reader', ...options });
}

/** Every entry and namespace permission, no secret or audit one. */
export function aWriter(options: PrincipalOptions = {}): Principal {
  return aPrincipal(['kv-entry:*', 'kv-namespace:*'], { id: 'writer', ...options });
}

/** Reads the audit trail. */
export function anAuditor(options: PrincipalOptions = {}): Principal {
  return aPrincipal([Permission.AuditRead], { id: 'auditor', ...options });
}

/** Holds `permissions` in one namespace only: each granted as `<permission>@<namespaceId>`. */
export function scopedTo(namespaceId: string, permissions: readonly string[], options: PrincipalOptions = {}): Principal {
  return aPrincipal(
    permissions.map((permission) => `${permission}@${namespaceId}`),
    options,
  );
}

/** What a service receives with a message of `actor`'s. */
export function messageMeta(actor: Principal, requestId = 'req-1'): MessageMeta {
  return { actor, requestId };
}

/** An access token of `principal`, signed with `secret`, in the shape the gateway's TokenVerifier accepts. */
export function signedToken(principal: Principal, secret: string, ttlSeconds = 3600): Promise<string> {
  return mintToken({ secret, sub: principal.id, permissions: [...principal.permissions], apps: [...principal.applications], ttlSeconds });
}
