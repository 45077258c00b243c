/**
 * Who is calling: the authenticated subject of a token, as the gateway forwards it to the services
 * in every message.
 */
export interface Principal {
  /** The token's `sub`. */
  id: string;
  /** Granted permissions, e.g. `kv-entry:read`, `kv-entry:*`, `*`, or `kv-entry:read@<namespaceId>`. */
  permissions: string[];
  /** Application ids the principal may touch; `["*"]` for all. */
  applications: string[];
}
