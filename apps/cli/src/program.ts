/** The `kv` command: every call of the KV gateway from a shell. Each command group is in commands/. */
import { Command } from 'commander';
import { positiveInteger } from './argument-parsers';
import { commandContext } from './command-context';
import { registerAuditCommands } from './commands/audit';
import { registerEntryCommands } from './commands/entries';
import { registerLiveCommands } from './commands/live';
import { registerNamespaceCommands } from './commands/namespaces';
import { registerRenderCommands } from './commands/render';
import { registerSecretCommands } from './commands/secrets';
import { registerToolCommands } from './commands/tools';
import { registerTransferCommands } from './commands/transfer';

export function buildProgram(env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('kv')
    .description('Command line for the KV Service gateway: namespaces, entries, secrets, audit, import and export')
    .option('--url <url>', 'gateway URL, e.g. http://localhost:8080 (default: KV_URL, else the config file)')
    .option('--token <jwt>', 'bearer token (default: KV_TOKEN, else the config file)')
    .option('--json', 'print machine-readable JSON')
    .option('--timeout <seconds>', 'give up an attempt at a call after this many seconds without an answer (default 30)', positiveInteger)
    .showHelpAfterError('(add --help for usage)')
    // Before any command is added, so that every command inherits it: kv.ts maps commander's errors to exit codes.
    .exitOverride()
    .addHelpText(
      'after',
      `
Configuration: each of the URL and the token comes from its flag, else the environment (KV_URL, KV_TOKEN),
else the config file ($KV_CONFIG, else ~/.config/kv/config.json: {"url": "...", "token": "..."}).
A namespace is named by its id or as application/name.
Every write sends an Idempotency-Key and is retried with it after a timeout or a broken connection;
a script that runs a write again passes its own with --idempotency-key.
Exit codes: 0 success, 1 error, 2 usage, 3 not found.`,
    );

  const context = commandContext(env);
  // The order of these calls is the order of `kv --help` and of the completion words.
  registerNamespaceCommands(program, context);
  registerEntryCommands(program, context);
  registerLiveCommands(program, context);
  registerSecretCommands(program, context);
  registerAuditCommands(program, context);
  registerTransferCommands(program, context);
  registerRenderCommands(program, context);
  registerToolCommands(program, context);
  return program;
}
