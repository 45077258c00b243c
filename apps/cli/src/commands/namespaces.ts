/** `kv ns list|get|create|update|delete`. */
import { Namespace, NamespaceInput } from '@kv-service/client';
import { Command } from 'commander';
import { positiveInteger } from '../argument-parsers';
import { CommandContext, idempotencyKeyOption, WriteCommandOptions } from '../command-context';
import { UsageError } from '../exit-codes';
import { parseNamespaceRef } from '../namespace-ref';
import { formatTable, toJson } from '../output';

interface NamespaceSettings extends WriteCommandOptions {
  description?: string;
  defaultTtl?: number;
  maxVersions?: number;
}

function withNamespaceSettings(command: Command): Command {
  return command
    .option('--description <text>', 'what the namespace is for')
    .option('--default-ttl <seconds>', 'TTL of entries written without one', positiveInteger)
    .option('--max-versions <n>', 'secret namespaces: keep at most this many versions of each secret', positiveInteger)
    .addOption(idempotencyKeyOption());
}

export function registerNamespaceCommands(program: Command, { globals, clientOf, print, resolveNamespace }: CommandContext): void {
  const printNamespace = (command: Command, namespace: Namespace) =>
    print(
      globals(command).json
        ? toJson(namespace)
        : formatTable(
            ['FIELD', 'VALUE'],
            Object.entries(namespace).map(([name, value]) => [name, value === null ? '-' : String(value)]),
          ),
    );

  const ns = program.command('ns').description('list, show, create, update and delete namespaces');
  ns.command('list')
    .description('list the namespaces the token may see')
    .option('--app <applicationId>', 'only the namespaces of this application')
    .action(async (options: { app?: string }, command: Command) => {
      const namespaces: Namespace[] = [];
      for await (const namespace of clientOf(command).namespaces({ applicationId: options.app })) namespaces.push(namespace);
      if (globals(command).json) return print(toJson(namespaces));
      print(
        formatTable(
          ['ID', 'NAMESPACE', 'KIND', 'DESCRIPTION'],
          namespaces.map((n) => [n.id, `${n.applicationId}/${n.name}`, n.isSecretNamespace ? 'secret' : 'plain', n.description ?? '']),
        ),
      );
    });
  ns.command('get')
    .description('show a namespace')
    .argument('<namespace>', 'id or application/name')
    .action(async (ref: string, _options: unknown, command: Command) => {
      const client = clientOf(command);
      printNamespace(command, await client.getNamespace(await resolveNamespace(client, ref)));
    });
  withNamespaceSettings(
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
    printNamespace(command, await clientOf(command).createNamespace(input, { idempotencyKey: options.idempotencyKey }));
  });
  withNamespaceSettings(
    ns
      .command('update')
      .description("change a namespace's name, description, default TTL or version cap (unnamed settings are kept)")
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
    printNamespace(command, await client.updateNamespace(current.id, input, { idempotencyKey: options.idempotencyKey }));
  });
  ns.command('delete')
    .description("delete a namespace with all its entries (and a secret namespace's versions)")
    .argument('<namespace>', 'id or application/name')
    .option('--yes', 'confirm: the entries are gone for good')
    .addOption(idempotencyKeyOption())
    .action(async (ref: string, options: WriteCommandOptions & { yes?: boolean }, command: Command) => {
      if (!options.yes) throw new UsageError('deleting a namespace deletes all its entries: add --yes to confirm');
      const client = clientOf(command);
      const id = await resolveNamespace(client, ref);
      await client.deleteNamespace(id, { idempotencyKey: options.idempotencyKey });
      print(globals(command).json ? toJson({ deleted: id }) : `deleted namespace ${id}\n`);
    });
}
