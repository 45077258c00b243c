/** `kv rotate|versions|rollback`: what only a secret namespace's entries have. */
import { Command, Option } from 'commander';
import { positiveInteger } from '../argument-parsers';
import { CommandContext, idempotencyKeyOption, WriteCommandOptions } from '../command-context';
import { UsageError } from '../exit-codes';
import { formatTable, formatValue, toJson } from '../output';
import { valueFromArgument } from '../value-input';

export function registerSecretCommands(program: Command, { globals, clientOf, print, resolveNamespace }: CommandContext): void {
  program
    .command('rotate')
    .description('rotate a secret: a given or generated value becomes a new version (a generated one is printed once)')
    .argument('<namespace>', 'id or application/name of a secret namespace')
    .argument('<key>', 'hierarchical key')
    .option('--value <value>', 'the new value (default: generated); - reads it from standard input, as for set')
    .option('--length <n>', 'length of a generated value (default 32)', positiveInteger)
    .addOption(
      new Option('--alphabet <alphabet>', 'alphabet of a generated value').choices(['alphanumeric', 'ascii-printable', 'hex', 'base64url']),
    )
    .option('--reason <text>', 'why, kept with the version')
    .addOption(idempotencyKeyOption())
    .action(
      async (
        ref: string,
        key: string,
        options: WriteCommandOptions & { value?: string; length?: number; alphabet?: 'hex'; reason?: string },
        command: Command,
      ) => {
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
          idempotencyKey: options.idempotencyKey,
        });
        // A given value is not echoed; a generated one is shown, this once, as the API returns it only here.
        const shown = options.value === undefined ? entry : { ...entry, value: undefined };
        if (globals(command).json) return print(toJson(shown));
        print(options.value === undefined ? `${formatValue(entry.value)}\n` : `rotated ${entry.keyPath} (version ${entry.version})\n`);
        if (options.value === undefined)
          process.stderr.write(`rotated ${entry.keyPath} (version ${entry.version}); the value above is shown only once\n`);
      },
    );

  program
    .command('versions')
    .description("list a secret's versions, newest first (never their values)")
    .argument('<namespace>', 'id or application/name of a secret namespace')
    .argument('<key>', 'hierarchical key')
    .action(async (ref: string, key: string, _options: unknown, command: Command) => {
      const client = clientOf(command);
      const versions = [];
      for await (const version of client.versions(await resolveNamespace(client, ref), key)) versions.push(version);
      if (globals(command).json) return print(toJson(versions));
      print(
        formatTable(
          ['VERSION', 'CHANGE', 'TYPE', 'BY', 'AT', 'REASON'],
          versions.map((v) => [
            String(v.version),
            v.restoredFrom === null ? v.change : `${v.change} to ${v.restoredFrom}`,
            v.valueType,
            v.actorId,
            v.createdAt,
            v.reason ?? '',
          ]),
        ),
      );
    });

  program
    .command('rollback')
    .description("make an old version's value current again, as a new version")
    .argument('<namespace>', 'id or application/name of a secret namespace')
    .argument('<key>', 'hierarchical key')
    .argument('<version>', 'the version to restore', positiveInteger)
    .option('--reason <text>', 'why, kept with the version')
    .addOption(idempotencyKeyOption())
    .action(async (ref: string, key: string, version: number, options: WriteCommandOptions & { reason?: string }, command: Command) => {
      const client = clientOf(command);
      const entry = await client.rollbackSecret(await resolveNamespace(client, ref), key, version, options.reason, {
        idempotencyKey: options.idempotencyKey,
      });
      print(
        globals(command).json
          ? toJson({ ...entry, value: undefined })
          : `rolled ${entry.keyPath} back to version ${version} (now version ${entry.version})\n`,
      );
    });
}
