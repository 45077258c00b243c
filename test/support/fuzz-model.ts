import { Client } from 'pg';
import { keyInUrl, keyPathDefect } from './hostile-arbitraries';
import { API_PREFIX, FuzzRequest, FuzzResponse, Violation, describeRequest, describeResponse, send } from './fuzz-harness';

/**
 * What the fuzz suite believes the platform holds, and the oracle that holds the platform to it. After
 * every write the suite reads back what the write touched, through the gateway, and compares the
 * owning service's rows with the model, through Postgres: a refused write that changed anything (a key
 * stored as U+FFFD, one entry of a failed bulk set) is caught even where no URL can address it.
 */

export interface EntryState {
  value: unknown;
  valueType: string;
  metadata: Record<string, unknown> | null;
  version: number;
}

export type SecretChange = 'CREATE' | 'UPDATE' | 'ROTATION' | 'ROLLBACK';

export interface VersionState {
  version: number;
  value: unknown;
  valueType: string;
  change: SecretChange;
  restoredFrom: number | null;
  reason: string | null;
}

export interface NamespaceFields {
  id: string;
  name: string;
  applicationId: string;
  description: string | null;
  isSecretNamespace: boolean;
  defaultTtlSeconds: number | null;
  maxSecretVersions: number | null;
}

/** Equality of JSON values as a JSON store keeps them: member order does not count, -0 is 0. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keysOfA = Object.keys(a).sort();
    const keysOfB = Object.keys(b).sort();
    return (
      sameJson(keysOfA, keysOfB) &&
      keysOfA.every((key) => sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
    );
  }
  return false;
}

export class NamespaceModel {
  readonly entries = new Map<string, EntryState>();
  /** Secret namespaces: every version of every entry, oldest first (no cap is ever set on the pools). */
  readonly history = new Map<string, VersionState[]>();
  /** Set once the platform and the model disagree: the namespace is not used again, so one defect does not cascade. */
  retired = false;

  constructor(public fields: NamespaceFields) {}

  get id(): string {
    return this.fields.id;
  }

  get isSecret(): boolean {
    return this.fields.isSecretNamespace;
  }

  /** Applies an accepted write of one entry (a put, or a secret's rotation or rollback); returns its new state. */
  write(
    key: string,
    write: { value: unknown; valueType: string; metadata?: Record<string, unknown> | null },
    secretChange: { change?: SecretChange; restoredFrom?: number; reason?: string } = {},
  ): EntryState {
    const before = this.entries.get(key);
    const { change = before ? 'UPDATE' : 'CREATE', restoredFrom = null, reason = null } = secretChange;
    // A rotation or rollback keeps the entry's metadata; a put replaces it.
    const keepsMetadata = change === 'ROTATION' || change === 'ROLLBACK';
    const next: EntryState = {
      value: write.value,
      valueType: write.valueType,
      metadata: keepsMetadata ? (before?.metadata ?? null) : (write.metadata ?? null),
      version: (before?.version ?? 0) + 1,
    };
    this.entries.set(key, next);
    if (this.isSecret) {
      const versions = before ? (this.history.get(key) ?? []) : [];
      versions.push({ version: next.version, value: next.value, valueType: next.valueType, change, restoredFrom, reason });
      this.history.set(key, versions);
    }
    return next;
  }

  remove(key: string): void {
    this.entries.delete(key);
    this.history.delete(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }
}

interface StoredEntry {
  version: number;
  valueType: string;
  /** Plain namespaces only: secrets are encrypted. */
  value?: unknown;
  metadata: unknown;
  /** Secret namespaces only: how many versions are kept. */
  versions?: number;
}

/** Read access to the services' databases, for the oracle (never for setting anything up). */
export class Databases {
  private constructor(
    private readonly kvEntry: Client,
    private readonly secrets: Client,
  ) {}

  static async connect(urls: Record<string, string>): Promise<Databases> {
    const kvEntry = new Client({ connectionString: urls['kv-entry'] });
    const secrets = new Client({ connectionString: urls.secrets });
    await kvEntry.connect();
    await secrets.connect();
    return new Databases(kvEntry, secrets);
  }

  async entries(namespace: NamespaceModel): Promise<Map<string, StoredEntry>> {
    const rows = namespace.isSecret
      ? await this.secrets.query(
          `SELECT e.key_path, e.version, e.value_type, e.metadata, (SELECT count(*)::int FROM secret_version v WHERE v.entry_id = e.id) AS versions
             FROM secret_entry e WHERE e.namespace_id = $1 AND (e.expires_at IS NULL OR e.expires_at > now())`,
          [namespace.id],
        )
      : await this.kvEntry.query(
          'SELECT key_path, version, value_type, value, metadata FROM entry WHERE namespace_id = $1 AND (expires_at IS NULL OR expires_at > now())',
          [namespace.id],
        );
    return new Map(
      rows.rows.map((row) => [
        row.key_path as string,
        { version: row.version, valueType: row.value_type, value: row.value, metadata: row.metadata, versions: row.versions },
      ]),
    );
  }

  async namespaces(applicationId: string): Promise<Map<string, NamespaceFields>> {
    const rows = await this.kvEntry.query(
      'SELECT id, name, application_id, description, is_secret, default_ttl_seconds, max_secret_versions FROM namespace WHERE application_id = $1',
      [applicationId],
    );
    return new Map(
      rows.rows.map((row) => [
        row.id as string,
        {
          id: row.id,
          name: row.name,
          applicationId: row.application_id,
          description: row.description,
          isSecretNamespace: row.is_secret,
          defaultTtlSeconds: row.default_ttl_seconds,
          maxSecretVersions: row.max_secret_versions,
        },
      ]),
    );
  }

  async end(): Promise<void> {
    await Promise.all([this.kvEntry.end(), this.secrets.end()]);
  }
}

const show = (key: string) => JSON.stringify(key);

/** What a checked request was, for the report of a disagreement it caused. */
export interface Checked {
  label: string;
  request: FuzzRequest;
  response: FuzzResponse;
}

/** Compares the platform with the model after a request; on a disagreement, retires the namespace and throws. */
export class StateOracle {
  constructor(
    private readonly gatewayUrl: string,
    private readonly adminToken: string,
    private readonly databases: Databases,
  ) {}

  private disagreement(checked: Checked, accepted: boolean, differences: string[]): Violation {
    const what = accepted ? 'what it answered does not read back' : 'refused, yet the store changed (half-applied)';
    return new Violation(
      `${checked.label} | ${what}`,
      `    request: ${describeRequest(checked.request)}\n    answer:  ${describeResponse(checked.response, checked.request.secret)}\n    differences: ${differences.slice(0, 6).join('; ')}${differences.length > 6 ? `; …${differences.length - 6} more` : ''}`,
    );
  }

  /**
   * The rows of `namespace` equal the model, and every key of `touched` that a URL can address reads
   * back, through the gateway, as the model says.
   */
  async verifyEntries(namespace: NamespaceModel, touched: readonly string[], checked: Checked, accepted: boolean): Promise<void> {
    const differences = [...(await this.storeDifferences(namespace)), ...(await this.readBackDifferences(namespace, touched))];
    if (differences.length === 0) return;
    namespace.retired = true;
    throw this.disagreement(checked, accepted, differences);
  }

  private async storeDifferences(namespace: NamespaceModel): Promise<string[]> {
    const stored = await this.databases.entries(namespace);
    const differences: string[] = [];
    for (const [key, row] of stored) {
      const expected = namespace.entries.get(key);
      if (!expected) differences.push(`the store holds ${show(key)} (version ${row.version}), the model has no such key`);
      else if (row.version !== expected.version)
        differences.push(`${show(key)} is version ${row.version} in the store, ${expected.version} in the model`);
      else if (row.valueType !== expected.valueType)
        differences.push(`${show(key)} is ${row.valueType} in the store, ${expected.valueType} in the model`);
      else if (!namespace.isSecret && !sameJson(row.value, expected.value))
        differences.push(
          `${show(key)}: the stored value is ${JSON.stringify(row.value)?.slice(0, 120)}, the model's ${JSON.stringify(expected.value)?.slice(0, 120)}`,
        );
      else if (!sameJson(row.metadata, expected.metadata)) differences.push(`${show(key)}: the stored metadata differs from the model's`);
      else if (namespace.isSecret && row.versions !== namespace.history.get(key)?.length)
        differences.push(`${show(key)} keeps ${row.versions} versions in the store, ${namespace.history.get(key)?.length} in the model`);
    }
    for (const key of namespace.keys()) if (!stored.has(key)) differences.push(`the model holds ${show(key)}, the store does not`);
    return differences;
  }

  private async readBackDifferences(namespace: NamespaceModel, touched: readonly string[]): Promise<string[]> {
    const keys = [...new Set(touched)].filter((key) => keyPathDefect(key) === null).slice(0, 1000);
    if (keys.length === 0) return [];
    const response = await send(
      this.gatewayUrl,
      {
        method: 'POST',
        target: `${API_PREFIX}/${namespace.id}/bulk/get`,
        headers: { authorization: `Bearer ${this.adminToken}`, 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ keys })),
        secret: namespace.isSecret,
      },
      'check',
    );
    if (response.status !== 200)
      return [`the read-back (bulk get of ${keys.length} keys) answered ${describeResponse(response, namespace.isSecret)}`];
    const items = new Map(
      ((response.json as { items?: Array<Record<string, unknown>> }).items ?? []).map((item) => [item.keyPath as string, item]),
    );
    const differences: string[] = [];
    for (const key of keys) {
      const expected = namespace.entries.get(key);
      const item = items.get(key);
      if (!expected && item) differences.push(`${show(key)} reads back (version ${String(item.version)}), the model has no such key`);
      else if (expected && !item) differences.push(`${show(key)} does not read back, the model holds version ${expected.version}`);
      else if (expected && item) {
        if (item.version !== expected.version)
          differences.push(`${show(key)} reads back as version ${String(item.version)}, the model's is ${expected.version}`);
        else if (item.valueType !== expected.valueType)
          differences.push(`${show(key)} reads back as ${String(item.valueType)}, the model's is ${expected.valueType}`);
        else if (!sameJson(item.value, expected.value))
          differences.push(
            namespace.isSecret
              ? `${show(key)}: the value read back differs from the one written (withheld: secret)`
              : `${show(key)}: reads back ${JSON.stringify(item.value)?.slice(0, 120)}, written ${JSON.stringify(expected.value)?.slice(0, 120)}`,
          );
        else if (!sameJson(item.metadata, expected.metadata))
          differences.push(`${show(key)}: the metadata read back differs from the one written`);
      }
    }
    return differences;
  }

  /** The namespaces of `applicationId` in the store equal the model's, and the touched one reads back through the gateway. */
  async verifyNamespaces(
    applicationId: string,
    models: ReadonlyMap<string, NamespaceFields>,
    touched: string | undefined,
    checked: Checked,
    accepted: boolean,
  ): Promise<void> {
    const stored = await this.databases.namespaces(applicationId);
    const differences: string[] = [];
    for (const [id, row] of stored) {
      const expected = models.get(id);
      if (!expected) differences.push(`the store holds namespace ${show(row.name)} (${id}), the model does not`);
      else if (!sameJson(row, expected))
        differences.push(`namespace ${id} is ${JSON.stringify(row)} in the store, ${JSON.stringify(expected)} in the model`);
    }
    for (const id of models.keys()) if (!stored.has(id)) differences.push(`the model holds namespace ${id}, the store does not`);
    if (touched !== undefined) {
      const response = await send(
        this.gatewayUrl,
        { method: 'GET', target: `${API_PREFIX}/namespaces/${touched}`, headers: { authorization: `Bearer ${this.adminToken}` } },
        'check',
      );
      const expected = models.get(touched);
      if (expected && (response.status !== 200 || !sameJson(pickFields(response.json), expected)))
        differences.push(`namespace ${touched} reads back as ${describeResponse(response)}`);
      if (!expected && response.status !== 404)
        differences.push(`namespace ${touched} should be gone, reads back as ${describeResponse(response)}`);
    }
    if (differences.length > 0) throw this.disagreement(checked, accepted, differences);
  }
}

function pickFields(json: unknown): NamespaceFields | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { id, name, applicationId, description, isSecretNamespace, defaultTtlSeconds, maxSecretVersions } = json as NamespaceFields;
  return { id, name, applicationId, description, isSecretNamespace, defaultTtlSeconds, maxSecretVersions };
}

/** The path of one entry (or of an operation on it), under the API prefix. */
export function entryPath(namespaceId: string, key: string, suffix = ''): string {
  return `/${namespaceId}/entries/${keyInUrl(key)}${suffix}`;
}
