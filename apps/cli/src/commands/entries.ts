/** `kv get|set|list|delete`: one entry, or a namespace's entries. */
import { ValueType } from '@kv-service/client';
import { Command, Option } from 'commander';
import { jsonObject, nonNegativeInteger, positiveInteger } from '../argument-parsers';
import { CommandContext, idempotencyKeyOption, WriteCommandOptions } from '../command-context';
import { formatEntries, formatValue, toJson } from '../output';
import { VALUE_TYPES, valueFromArgument } from '../value-input';

export function registerEntryCommands(program: Command, { globals, clientOf, print, resolveNamespace }: CommandContext): void {
  program
    .command('get')
    .description("print an entry's value (with --json, the whole entry)")
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
    .argument(
      '<value>',
      'the value, as text of its type (JSON for JSON, base64 for BINARY); - reads it from standard input (a pipe, a file, or asked for unseen at a terminal), which keeps a secret out of the process list and the shell history',
    )
    .addOption(new Option('--type <type>', 'value type').choices(VALUE_TYPES).default('STRING'))
    .option('--ttl <seconds>', 'expire after this many seconds', positiveInteger)
    .option('--if-version <n>', 'write only if the current version is n (0: only if absent)', nonNegativeInteger)
    .option('--metadata <json>', 'a JSON object kept with the entry', jsonObject)
    .addOption(idempotencyKeyOption())
    .action(
      async (
        ref: string,
        key: string,
        text: string,
        options: WriteCommandOptions & { type: ValueType; ttl?: number; ifVersion?: number; metadata?: Record<string, unknown> },
        command: Command,
      ) => {
        const value = await valueFromArgument(text, options.type);
        const client = clientOf(command);
        const { entry, created } = await client.putEntry(await resolveNamespace(client, ref), key, value, {
          valueType: options.type,
          ttlSeconds: options.ttl,
          expectedVersion: options.ifVersion,
          metadata: options.metadata,
          idempotencyKey: options.idempotencyKey,
        });
        // Never the value: it may be a secret.
        print(
          globals(command).json
            ? toJson({ ...entry, value: undefined, created })
            : `${created ? 'created' : 'updated'} ${entry.keyPath} (version ${entry.version})\n`,
        );
      },
    );

  program
    .command('list')
    .description('list entries in key order (all pages)')
    .argument('<namespace>', 'id or application/name')
    .option('--prefix <prefix>', 'only keys starting with this, e.g. database/')
    .action(async (ref: string, options: { prefix?: string }, command: Command) => {
      const client = clientOf(command);
      const entries = [];
      for await (const entry of client.entries(await resolveNamespace(client, ref), { prefix: options.prefix, limit: 1000 }))
        entries.push(entry);
      print(globals(command).json ? toJson(entries) : formatEntries(entries));
    });

  program
    .command('delete')
    .description('delete an entry')
    .argument('<namespace>', 'id or application/name')
    .argument('<key>', 'hierarchical key')
    .addOption(idempotencyKeyOption())
    .action(async (ref: string, key: string, options: WriteCommandOptions, command: Command) => {
      const client = clientOf(command);
      await client.deleteEntry(await resolveNamespace(client, ref), key, { idempotencyKey: options.idempotencyKey });
      print(globals(command).json ? toJson({ deleted: key }) : `deleted ${key}\n`);
    });
}
