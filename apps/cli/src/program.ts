/** The `kv` command: every call of the KV gateway from a shell. */
import { AuditQuery, KvClient, Namespace, NamespaceInput, ValueType } from '@kv-service/client';
import { Command, Option } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { mintRequestedToken, TokenRequest } from '@app/tokens';
import { isoInstant, jsonObject, nonNegativeInteger, positiveInteger } from './argument-parsers';
import { bashCompletion } from './completion';
import { resolveConnection } from './config';
import { NotFoundError, UsageError } from './exit-codes';
import { parseNamespaceRef } from './namespace-ref';
import { formatEntries, formatTable, formatValue, toJson } from './output';
import { fileOfEntries, formatOfFile, importItems, itemsOfFile, progressFor } from './transfer';
import { VALUE_TYPES, valueFromArgument } from './value-input';

interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

const AUDIT_ACTIONS = [
  'READ', 'LIST', 'WRITE', 'DELETE', 'EXPIRE', 'ROTATE', 'ROLLBACK', 'NAMESPACE_READ', 'NAMESPACE_CREATE', 'NAMESPACE_UPDATE',
  'NAMESPACE_DELETE', 'AUDIT_READ', 'REQUEST', 'AUDIT_REANCHOR',
] as const;

export function buildProgram(env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('kv')
    .description('Command line for the KV Service gateway: namespaces, entries, secrets, audit, import and export')
    .option('--url <url>', 'gateway URL, e.g. http://localhost:8080 (default: KV_URL, else the config file)')
    .option('--token <jwt>', 'bearer token (default: KV_TOKEN, else the config file)')
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError('(add --help for usage)')
    // Before any command is added, so that every command inherits it: kv.ts maps commander's errors to exit codes.
    .exitOverride()
    .addHelpText(
      'after',
      `
Configuration: each of the URL and the token comes from its flag, else the environment (KV_URL, KV_TOKEN),
else the config file ($KV_CONFIG, else ~/.config/kv/config.json: {"url": "...", "token": "..."}).
A namespace is named by its id or as application/name.
Exit codes: 0 success, 1 error, 2 usage, 3 not found.`,
    );

  const globals = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();
  const clientOf = (command: Command): KvClient => {
    const { url, token } = resolveConnection(globals(command), env);
    return new KvClient({ baseUrl: url, token });
  };
  const print = (text: string): void => void process.stdout.write(text);
  const resolveNamespace = async (client: KvClient, text: string): Promise<string> => {
    const ref = parseNamespaceRef(text);
    if ('id' in ref) return ref.id;
    for await (const namespace of client.namespaces({ applicationId: ref.applicationId })) {
      if (namespace.name === ref.name) return namespace.id;
    }
    throw new NotFoundError(`namespace ${ref.applicationId}/${ref.name} not found`);
  };
  const printNamespace = (command: Command, namespace: Namespace) =>
    print(
      globals(command).json
        ? toJson(namespace)
        : formatTable(['FIELD', 'VALUE'], Object.entries(namespace).map(([name, value]) => [name, value === null ? '-' : String(value)])),
    );

  // Namespaces

  const ns = program.command('ns').description('list, show, create, update and delete namespaces');
  ns.command('list')
    .description('list the namespaces the token may see')
    .option('--app <applicationId>', 'only the namespaces of this application')
    .action(async (options: { app?: string }, command: Command) => {
      const namespaces: Namespace[] = [];
      for await (const namespace of clientOf(command).namespaces({ applicationId: options.app })) namespaces.push(namespace);
      if (globals(command).json) return print(toJson(namespaces));
      print(formatTable(['ID', 'NAMESPACE', 'KIND', 'DESCRIPTION'], namespaces.map((n) => [n.id, `${n.applicationId}/${n.name}`, n.isSecretNamespace ? 'secret' : 'plain', n.description ?? ''])));
    });
  ns.command('get')
    .description('show a namespace')
    .argument('<namespace>', 'id or application/name')
    .action(async (ref: string, _options: unknown, command: Command) => {
      const client = clientOf(command);
      printNamespace(command, await client.getNamespace(await resolveNamespace(client, ref)));
    });
  const namespaceSettings = (command: Command) =>
    command
      .option('--description <text>', 'what the namespace is for')
      .option('--default-ttl <seconds>', 'TTL of entries written without one', positiveInteger)
      .option('--max-versions <n>', 'secret namespaces: keep at most this many versions of each secret', positiveInteger);
  interface NamespaceSettings {
    description?: string;
    defaultTtl?: number;
    maxVersions?: number;
  }
  namespaceSettings(
    ns
      .command('create')
      .description('create a namespace')
      .argument('<application/name>', 'the application it belongs to and its name')
      .option('--secret', 'a secret namespace: entries encrypted and versioned (cannot change later)'),
  ).action(async (ref: string, options: NamespaceSettings & { secret?: boolean }, command: Command) => {
    const parsed = parseNamespaceRef(ref);
    if ('id' in parsed) throw new UsageError('name the new namespace as application/name');
    const input: NamespaceInput = {
      applicationId: parsed.applicationId,
      name: parsed.name,
      description: options.description,
      isSecretNamespace: options.secret ?? false,
      defaultTtlSeconds: options.defaultTtl,
      maxSecretVersions: options.maxVersions,
    };
    printNamespace(command, await clientOf(command).createNamespace(input));
  });
  namespaceSettings(
    ns
      .command('update')
      .description('change a namespace\'s name, description, default TTL or version cap (unnamed settings are kept)')
      .argument('<namespace>', 'id or application/name')
      .option('--name <name>', 'new name'),
  ).action(async (ref: string, options: NamespaceSettings & { name?: string }, command: Command) => {
    const client = clientOf(command);
    // The API replaces the whole namespace: start from what it is now.
    const current = await client.getNamespace(await resolveNamespace(client, ref));
    const input: NamespaceInput = {
      applicationId: current.applicationId,
      isSecretNamespace: current.isSecretNamespace,
      name: options.name ?? current.name,
      description: options.description ?? current.description ?? undefined,
      defaultTtlSeconds: options.defaultTtl ?? current.defaultTtlSeconds ?? undefined,
      maxSecretVersions: options.maxVersions ?? current.maxSecretVersions ?? undefined,
    };
    printNamespace(command, await client.updateNamespace(current.id, input));
  });
  ns.command('delete')
    .description('delete a namespace with all its entries (and a secret namespace\'s versions)')
    .argument('<namespace>', 'id or application/name')
    .option('--yes', 'confirm: the entries are gone for good')
    .action(async (ref: string, options: { yes?: boolean }, command: Command) => {
      if (!options.yes) throw new UsageError('deleting a namespace deletes all its entries: add --yes to confirm');
      const client = clientOf(command);
      const id = await resolveNamespace(client, ref);
      await client.deleteNamespace(id);
      print(globals(command).json ? toJson({ deleted: id }) : `deleted namespace ${id}\n`);
    });

  // Entries

  program
    .command('get')
    .description('print an entry\'s value (with --json, the whole entry)')
    .argument('<namespace>', 'id or application/name')
    .argument('<key>', 'hierarchical key, e.g. database/host')
    .option('--version <n>', 'secret namespaces: an old version', positiveInteger)
    .action(async (ref: string, key: string, options: { version?: number }, command: Command) => {
      const client = clientOf(command);
      const entry = await client.getEntry(await resolveNamespace(client, ref), key, { version: options.version });
      print(globals(command).json ? toJson(entry) : `${formatValue(entry.value)}\n`);
    });

  program
    .command('set')
    .description('create or replace an entry')
    .argument('<namespace>', 'id or application/name')
    .argument('<key>', 'hierarchical key, e.g. database/host')
    .argument('<value>', 'the value, as text of its type (JSON for JSON, base64 for BINARY); - reads it from standard input (a pipe, a file, or asked for unseen at a terminal), which keeps a secret out of the process list and the shell history')
    .addOption(new Option('--type <type>', 'value type').choices(VALUE_TYPES).default('STRING'))
    .option('--ttl <seconds>', 'expire after this many seconds', positiveInteger)
    .option('--if-version <n>', 'write only if the current version is n (0: only if absent)', nonNegativeInteger)
    .option('--metadata <json>', 'a JSON object kept with the entry', jsonObject)
    .action(async (ref: string, key: string, text: string, options: { type: ValueType; ttl?: number; ifVersion?: number; metadata?: Record<string, unknown> }, command: Command) => {
      const value = await valueFromArgument(text, options.type);
      const client = clientOf(command);
      const { entry, created } = await client.putEntry(await resolveNamespace(client, ref), key, value, {
        valueType: options.type,
        ttlSeconds: options.ttl,
        expectedVersion: options.ifVersion,
        metadata: options.metadata,
      });
      // Never the value: it may be a secret.
      print(globals(command).json ? toJson({ ...entry, value: undefined, created }) : `${created ? 'created' : 'updated'} ${entry.keyPath} (version ${entry.version})\n`);
    });

  program
    .command('list')
    .description('list entries in key order (all pages)')
    .argument('<namespace>', 'id or application/name')
    .option('--prefix <prefix>', 'only keys starting with this, e.g. database/')
    .action(async (ref: string, options: { prefix?: string }, command: Command) => {
      const client = clientOf(command);
      const entries = [];
      for await (const entry of client.entries(await resolveNamespace(client, ref), { prefix: options.prefix, limit: 1000 })) entries.push(entry);
      print(globals(command).json ? toJson(entries) : formatEntries(entries));
    });

  program
    .command('delete')
    .description('delete an entry')
    .argument('<namespace>', 'id or application/name')
    .argument('<key>', 'hierarchical key')
    .action(async (ref: string, key: string, _options: unknown, command: Command) => {
      const client = clientOf(command);
      await client.deleteEntry(await resolveNamespace(client, ref), key);
      print(globals(command).json ? toJson({ deleted: key }) : `deleted ${key}\n`);
    });

  // Secrets

  program
    .command('rotate')
    .description('rotate a secret: a given or generated value becomes a new version (a generated one is printed once)')
    .argument('<namespace>', 'id or application/name of a secret namespace')
    .argument('<key>', 'hierarchical key')
    .option('--value <value>', 'the new value (default: generated); - reads it from standard input, as for set')
    .option('--length <n>', 'length of a generated value (default 32)', positiveInteger)
    .addOption(new Option('--alphabet <alphabet>', 'alphabet of a generated value').choices(['alphanumeric', 'ascii-printable', 'hex', 'base64url']))
    .option('--reason <text>', 'why, kept with the version')
    .action(async (ref: string, key: string, options: { value?: string; length?: number; alphabet?: 'hex'; reason?: string }, command: Command) => {
      if (options.value !== undefined && (options.length !== undefined || options.alphabet !== undefined)) {
        throw new UsageError('--length and --alphabet are for a generated value: leave them out with --value');
      }
      const client = clientOf(command);
      const entry = await client.rotateSecret(await resolveNamespace(client, ref), key, {
        value: options.value === undefined ? undefined : ((await valueFromArgument(options.value, 'STRING')) as string),
        valueType: options.value === undefined ? undefined : 'STRING',
        length: options.length,
        alphabet: options.alphabet,
        reason: options.reason,
      });
      // A given value is not echoed; a generated one is shown, this once, as the API returns it only here.
      const shown = options.value === undefined ? entry : { ...entry, value: undefined };
      if (globals(command).json) return print(toJson(shown));
      print(options.value === undefined ? `${formatValue(entry.value)}\n` : `rotated ${entry.keyPath} (version ${entry.version})\n`);
      if (options.value === undefined) process.stderr.write(`rotated ${entry.keyPath} (version ${entry.version}); the value above is shown only once\n`);
    });

  program
    .command('versions')
    .description('list a secret\'s versions, newest first (never their values)')
    .argument('<namespace>', 'id or application/name of a secret namespace')
    .argument('<key>', 'hierarchical key')
    .action(async (ref: string, key: string, _options: unknown, command: Command) => {
      const client = clientOf(command);
      const versions = [];
      for await (const version of client.versions(await resolveNamespace(client, ref), key)) versions.push(version);
      if (globals(command).json) return print(toJson(versions));
      print(formatTable(['VERSION', 'CHANGE', 'TYPE', 'BY', 'AT', 'REASON'], versions.map((v) => [
        String(v.version), v.restoredFrom === null ? v.change : `${v.change} to ${v.restoredFrom}`, v.valueType, v.actorId, v.createdAt, v.reason ?? '',
      ])));
    });

  program
    .command('rollback')
    .description('make an old version\'s value current again, as a new version')
    .argument('<namespace>', 'id or application/name of a secret namespace')
    .argument('<key>', 'hierarchical key')
    .argument('<version>', 'the version to restore', positiveInteger)
    .option('--reason <text>', 'why, kept with the version')
    .action(async (ref: string, key: string, version: number, options: { reason?: string }, command: Command) => {
      const client = clientOf(command);
      const entry = await client.rollbackSecret(await resolveNamespace(client, ref), key, version, options.reason);
      print(globals(command).json ? toJson({ ...entry, value: undefined }) : `rolled ${entry.keyPath} back to version ${version} (now version ${entry.version})\n`);
    });

  // Audit

  const audit = program
    .command('audit')
    .description('list audit records, newest first (`kv audit verify` checks the hash chain)')
    .option('--namespace <namespace>', 'id or application/name')
    .option('--key <key>', 'key path')
    .addOption(new Option('--action <action>', 'action').choices(AUDIT_ACTIONS))
    .option('--user <id>', 'principal id')
    .addOption(new Option('--success <bool>', 'outcome').choices(['true', 'false']))
    .option('--from <iso>', 'from this instant (inclusive)', isoInstant)
    .option('--to <iso>', 'before this instant (exclusive)', isoInstant)
    .option('--limit <n>', 'at most this many records', positiveInteger, 50)
    .action(async (options: { namespace?: string; key?: string; action?: AuditQuery['action']; user?: string; success?: string; from?: string; to?: string; limit: number }, command: Command) => {
      const client = clientOf(command);
      const query: AuditQuery = {
        namespaceId: options.namespace === undefined ? undefined : await resolveNamespace(client, options.namespace),
        keyPath: options.key,
        action: options.action,
        userId: options.user,
        success: options.success === undefined ? undefined : options.success === 'true',
        from: options.from,
        to: options.to,
        limit: Math.min(options.limit, 1000),
      };
      const records = [];
      for await (const record of client.auditRecords(query)) {
        records.push(record);
        if (records.length >= options.limit) break;
      }
      if (globals(command).json) return print(toJson(records));
      print(formatTable(['AT', 'ACTION', 'OK', 'USER', 'NAMESPACE', 'KEY', 'ERROR'], records.map((r) => [
        r.occurredAt, r.action, r.success ? 'yes' : 'no', r.userId, r.namespaceId ?? '-', r.keyPath ?? '-', r.errorCode ?? '',
      ])));
    });
  audit
    .command('verify')
    .description('verify the audit trail\'s hash chain (exit code 1 when broken)')
    .action(async (_options: unknown, command: Command) => {
      const result = await clientOf(command).verifyAudit();
      // A record accepted through an operator's re-anchoring is named on every run, so that none goes unnoticed.
      const reanchored = result.reanchored.length > 0 ? ` (re-anchored by an operator: ${result.reanchored.join(', ')})` : '';
      print(globals(command).json ? toJson(result) : result.ok ? `ok: ${result.checked} records checked${reanchored}\n` : `BROKEN at sequence ${result.firstBrokenSequence}: ${result.reason}\n`);
      if (!result.ok) process.exitCode = 1;
    });

  // Files

  program
    .command('import')
    .description('write the entries of a .env file (values as STRING) or a JSON object (nested objects are key paths a/b/c; numbers, booleans, strings keep their type, arrays are JSON) in bulk calls of 1000')
    .argument('<namespace>', 'id or application/name')
    .argument('<file>', 'a .env or .json file')
    .addOption(new Option('--format <format>', 'file format (default: json for *.json, else dotenv)').choices(['dotenv', 'json']))
    .option('--prefix <prefix>', 'put every key under this prefix, e.g. env/')
    .action(async (ref: string, file: string, options: { format?: string; prefix?: string }, command: Command) => {
      const items = itemsOfFile(readFileSync(file, 'utf8'), formatOfFile(file, options.format), options.prefix);
      const client = clientOf(command);
      const namespaceId = await resolveNamespace(client, ref);
      const started = Date.now();
      const progress = globals(command).json ? progressFor({ isTTY: false } as NodeJS.WriteStream) : progressFor(process.stderr);
      const imported = await importItems(client, namespaceId, items, progress);
      const elapsedMs = Date.now() - started;
      print(globals(command).json ? toJson({ namespaceId, imported, elapsedMs }) : `imported ${imported} entries into ${namespaceId} in ${elapsedMs} ms\n`);
    });

  program
    .command('export')
    .description('write entries as a .env file or a JSON object, keys sorted (an export of an import gives back a sorted file)')
    .argument('<namespace>', 'id or application/name')
    .addOption(new Option('--format <format>', 'file format').choices(['dotenv', 'json']).makeOptionMandatory())
    .option('--prefix <prefix>', 'only keys under this prefix, written without it')
    .option('--output <file>', 'write to this file instead of stdout')
    .action(async (ref: string, options: { format: 'dotenv' | 'json'; prefix?: string; output?: string }, command: Command) => {
      const client = clientOf(command);
      const entries = [];
      for await (const entry of client.entries(await resolveNamespace(client, ref), { prefix: options.prefix, limit: 1000 })) entries.push(entry);
      const text = fileOfEntries(entries, options.format, options.prefix);
      if (options.output === undefined) return print(text);
      // A secret namespace exports plaintext values: the file is for its owner only.
      writeFileSync(options.output, text, { mode: 0o600 });
      print(globals(command).json ? toJson({ exported: entries.length, output: options.output }) : `exported ${entries.length} entries to ${options.output}\n`);
    });

  // Tools

  program
    .command('token')
    .description('mint an HS256 token (signed with --secret, KV_JWT_SECRET, or the local development key of `npm run up`)')
    .requiredOption('--sub <id>', 'subject (principal id) of the token')
    // No default: an all-powerful token must be asked for ('*'), never minted by omission.
  .requiredOption('--permissions <list>', "comma-separated grants, e.g. kv-entry:read,kv-namespace:*@<namespaceId>, or '*' for all")
    .option('--apps <list>', "comma-separated application ids, or '*' for all", '*')
    .option('--ttl <duration>', 'lifetime: 45s, 30m, 1h, 7d or seconds', '1h')
    // The environment keeps the secret out of shell history and the process list.
    .addOption(new Option('--secret <secret>', 'HS256 signing secret').env('KV_JWT_SECRET'))
    .action(async (options: TokenRequest, command: Command) => {
      const token = await mintRequestedToken(options);
      print(globals(command).json ? toJson({ token }) : `${token}\n`);
    });

  program
    .command('completion')
    .description('print a bash completion script: eval "$(kv completion bash)"')
    .addArgument(new Command().createArgument('<shell>', 'only bash').choices(['bash']))
    .action(() => print(bashCompletion(program)));

  return program;
}

