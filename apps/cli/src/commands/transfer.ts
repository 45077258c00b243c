/** `kv import` and `kv export`: the commands; the files are read and written by libs/client, the bulk calls are in ../transfer. */
import { Command, Option } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { CommandContext, idempotencyKeyOption, WriteCommandOptions } from '../command-context';
import { toJson } from '../output';
import { fileOfEntries, itemsOfFile } from '@kv-service/client';
import { formatOfFile, importItems, progressFor } from '../transfer';

export function registerTransferCommands(program: Command, { globals, clientOf, print, resolveNamespace }: CommandContext): void {
  program
    .command('import')
    .description(
      'write the entries of a .env file (values as STRING) or a JSON object (nested objects are key paths a/b/c; numbers, booleans, strings keep their type, arrays are JSON) in bulk calls of 1000',
    )
    .argument('<namespace>', 'id or application/name')
    .argument('<file>', 'a .env or .json file')
    .addOption(new Option('--format <format>', 'file format (default: json for *.json, else dotenv)').choices(['dotenv', 'json']))
    .option('--prefix <prefix>', 'put every key under this prefix, e.g. env/')
    .addOption(
      idempotencyKeyOption(
        'bulk call n sends the Idempotency-Key <key>-n: run again with the same key, the calls that were applied answer as they did, the rest are sent',
      ),
    )
    .action(async (ref: string, file: string, options: WriteCommandOptions & { format?: string; prefix?: string }, command: Command) => {
      const items = itemsOfFile(readFileSync(file, 'utf8'), formatOfFile(file, options.format), options.prefix);
      const client = clientOf(command);
      const namespaceId = await resolveNamespace(client, ref);
      const started = Date.now();
      const progress = globals(command).json ? progressFor({ isTTY: false } as NodeJS.WriteStream) : progressFor(process.stderr);
      const imported = await importItems(client, namespaceId, items, progress, options.idempotencyKey);
      const elapsedMs = Date.now() - started;
      print(
        globals(command).json
          ? toJson({ namespaceId, imported, elapsedMs })
          : `imported ${imported} entries into ${namespaceId} in ${elapsedMs} ms\n`,
      );
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
      for await (const entry of client.entries(await resolveNamespace(client, ref), { prefix: options.prefix, limit: 1000 }))
        entries.push(entry);
      const text = fileOfEntries(entries, options.format, options.prefix);
      if (options.output === undefined) return print(text);
      // A secret namespace exports plaintext values: the file is for its owner only.
      writeFileSync(options.output, text, { mode: 0o600 });
      print(
        globals(command).json
          ? toJson({ exported: entries.length, output: options.output })
          : `exported ${entries.length} entries to ${options.output}\n`,
      );
    });
}
