/** `kv watch` and `kv run`: a namespace's changes as they come, and a command run with its entries as its environment. */
import { KvRevisionCompactedError, KvTokenExpiredError, type Entry, type WatchOptions } from '@kv-service/client';
import { Command, InvalidArgumentError } from 'commander';
import { spawn } from 'node:child_process';
import { nonNegativeInteger } from '../argument-parsers';
import type { CommandContext } from '../command-context';
import { ExitCode, UsageError } from '../exit-codes';
import { failureOf } from '../failure';
import { formatChangeLine } from '../live/change-line';
import { ChildSupervisor } from '../live/child-supervisor';
import { DEFAULT_DEBOUNCE_MS, followChanges, isTransientFailure } from '../live/follow-changes';
import { changedNames, childEnvironment, contentOf, folderPrefix, signalNamed, variablesOf } from '../live/run-environment';
import { RUN_SIGNALS, signalRouting } from '../live/signal-routing';
import { reconnectNote, retryNote } from '../live/watch-notes';
import { endOnClosedOutput, note } from '../output';

const DEFAULT_GRACE_SECONDS = 10;

interface WatchCommandOptions {
  prefix?: string;
  since?: string;
}

interface RunCommandOptions {
  prefix?: string;
  override: boolean;
  watch?: boolean;
  debounce?: number;
  grace?: number;
  signal?: NodeJS.Signals;
}

const reportReconnect: WatchOptions['onReconnect'] = (reconnection) => note(reconnectNote(reconnection));

export function registerLiveCommands(program: Command, { globals, clientOf, print, resolveNamespace }: CommandContext): void {
  program
    .command('watch')
    .description("print each change of a namespace's entries as it comes, one line each (--json: one JSON object a line), until Ctrl-C")
    .argument('<namespace>', 'id or application/name')
    .option('--prefix <prefix>', 'only keys starting with this (changes of the namespace itself always come)')
    .option('--since <revision>', "every change after this revision (a list's X-KV-Revision, or a printed change's); default: from now")
    .addHelpText(
      'after',
      `
Text columns: revision, type, key, version, actor, time. Reconnections are told on standard error, one line each.
Never a value: read it with kv get. Exit codes: 0 after Ctrl-C or SIGTERM (or the namespace's deletion),
1 when the --since point is no longer kept (start without --since) or the token expired, 3 no such namespace.`,
    )
    .action(async (ref: string, options: WatchCommandOptions, command: Command) => {
      const json = globals(command).json === true;
      const client = clientOf(command);
      const namespaceId = await resolveNamespace(client, ref);
      const stop = new AbortController();
      const end = () => stop.abort();
      endOnClosedOutput(end);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, end);
      try {
        for await (const change of client.watch(namespaceId, {
          prefix: options.prefix,
          since: options.since,
          signal: stop.signal,
          onReconnect: reportReconnect,
        })) {
          if (stop.signal.aborted) break;
          print(json ? `${JSON.stringify(change)}\n` : formatChangeLine(change));
        }
        if (!stop.signal.aborted) note('the namespace was deleted: the watch is over');
      } catch (error) {
        const ending = watchEnding(error, options.since);
        if (ending === undefined) throw error;
        note(ending);
        process.exitCode = ExitCode.ERROR;
      } finally {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, end);
      }
    });

  program
    .command('run')
    .description('run a command with the entries under the prefix as environment variables (kv prints no value)')
    .argument('<namespace>', 'id or application/name')
    .argument('<command...>', 'the command and its arguments, after -- (run as they are, never through a shell)')
    .option('--prefix <prefix>', 'only keys starting with this; names are relative to it (--prefix app/ makes app/DB_HOST DB_HOST)')
    .option('--no-override', 'keep the value a variable already has in the environment kv was started with')
    .option('--watch', 'on a change under the prefix, read again and restart the command with the new environment')
    .option(
      '--debounce <ms>',
      `--watch: changes closer together than this make one restart (default ${DEFAULT_DEBOUNCE_MS})`,
      nonNegativeInteger,
    )
    .option(
      '--grace <seconds>',
      `--watch: after SIGTERM, wait this long before SIGKILL (default ${DEFAULT_GRACE_SECONDS})`,
      nonNegativeInteger,
    )
    .option('--signal <name>', '--watch: send this signal (e.g. HUP) on a change instead of restarting', signalOption)
    .addHelpText(
      'after',
      `
Names: the key relative to --prefix, / as _, case kept (db/HOST is db_HOST); a key that gives no POSIX name
([A-Za-z_][A-Za-z0-9_]*), or two keys giving one name, is an error naming them, and nothing is started.
Values: STRING as it is, BINARY as base64, NUMBER, BOOLEAN and JSON as their JSON text. Entries win over the
inherited environment unless --no-override. Secret namespaces too (each read is audited as any read).
The values reach the command only through its environment: never a command line (ps), never kv's output.
SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH are passed on to the command (on a terminal,
Ctrl-C, Ctrl-\\ and a resize reach it from the terminal, and kv does not send them twice); kv exits when it does, with its exit code (128 + the
signal's number when a signal ended it), 127 when the command is not found, 126 when it cannot be run; before
the command starts, kv's own codes (1 error, 2 usage, 3 not found; 1 for entries that make no environment).
--watch: after a change, kv reads again and restarts the command (SIGTERM, SIGKILL after --grace) if the
environment it would get differs. With --signal the command is signalled instead, if the entries differ, and
keeps the environment it started with (a process's environment cannot change from outside): for a program
that re-reads its configuration itself, e.g. a file kept by kv render --watch. If the entries stop making an environment, the
command runs on, told on standard error; a read the gateway fails (unreachable, 429, 5xx) is tried again with
backoff. An expired token or a deleted namespace ends the watching, not the command.`,
    )
    .action(async (ref: string, commandLine: string[], options: RunCommandOptions, command: Command) => {
      if (!options.watch && (options.debounce !== undefined || options.grace !== undefined || options.signal !== undefined))
        throw new UsageError('--debounce, --grace and --signal go with --watch');
      const client = clientOf(command);
      const namespaceId = await resolveNamespace(client, ref);
      const prefix = folderPrefix(options.prefix);
      const read = () => client.snapshot(namespaceId, { prefix });
      const environmentOf = (entries: Entry[]) => childEnvironment(process.env, variablesOf(entries, prefix), options.override);
      const first = await read();
      const firstEnv = environmentOf(first.entries);
      const [file, ...args] = commandLine;
      const child = new ChildSupervisor(
        file,
        (env) => spawn(file, args, { env, stdio: 'inherit' }),
        firstEnv,
        (options.grace ?? DEFAULT_GRACE_SECONDS) * 1000,
      );
      const stdinIsTerminal = process.stdin.isTTY === true;
      const forward = (signal: NodeJS.Signals) => child.signal(signal, signalRouting(signal, stdinIsTerminal));
      for (const signal of RUN_SIGNALS) process.on(signal, forward);
      try {
        const watching = new AbortController();
        if (options.watch) {
          const onChange = options.signal
            ? signalOnChange(child, file, options.signal, contentOf(first.entries), async () => contentOf((await read()).entries))
            : restartOnChange(child, file, firstEnv, async () => environmentOf((await read()).entries));
          void followChanges(client.watch.bind(client), [{ namespaceId, prefix, since: first.revision ?? undefined }], {
            debounceMs: options.debounce ?? DEFAULT_DEBOUNCE_MS,
            signal: watching.signal,
            onChange,
            onRestart: () => note('the watch fell behind what the change log keeps: reading again, and watching from now'),
            onRetry: (error, delayMs) => note(retryNote(error, delayMs)),
            onReconnect: reportReconnect,
          }).then(
            () => {
              if (!watching.signal.aborted) note(`the namespace was deleted: no longer watching; ${file} runs on`);
            },
            (error: unknown) =>
              note(
                `${error instanceof KvTokenExpiredError ? 'the token expired' : failureOf(error).message}: no longer watching; ${file} runs on`,
              ),
          );
        }
        const end = await child.ended;
        watching.abort();
        if (end.failure !== undefined) note(end.failure);
        process.exitCode = end.exitCode;
      } finally {
        for (const signal of RUN_SIGNALS) process.off(signal, forward);
      }
    });
}

/** Why a watch ended that cannot go on by itself, as kv tells it; undefined for any other failure. */
function watchEnding(error: unknown, since: string | undefined): string | undefined {
  if (error instanceof KvRevisionCompactedError)
    return since === undefined
      ? 'the watch fell behind what the change log keeps: start it again'
      : `the change log no longer keeps revision ${since}: start without --since (from now), or from a newer revision`;
  if (error instanceof KvTokenExpiredError) return 'the token expired, which ends the watch: start it again with a new token';
  return undefined;
}

function signalOption(text: string): NodeJS.Signals {
  const signal = signalNamed(text);
  if (signal === undefined) throw new InvalidArgumentError('must be a signal name, e.g. HUP or SIGUSR1');
  return signal;
}

/** `--watch`: read again, and restart the command once its environment would differ. */
function restartOnChange(
  child: ChildSupervisor,
  file: string,
  startedWith: NodeJS.ProcessEnv,
  environmentOf: () => Promise<NodeJS.ProcessEnv>,
): () => Promise<void> {
  let current = startedWith;
  return async () => {
    const next = await readOrTell(environmentOf, `${file} runs on with the environment it has`);
    if (next === undefined) return;
    // A burst may only repeat what the first read already held (a watch from its revision can): nothing to do.
    const changed = changedNames(current, next);
    if (changed.length === 0) return;
    note(`${changed.join(', ')} changed: restarting ${file}`);
    if (await child.restart(next)) current = next;
  };
}

/** `--watch --signal`: read again, and tell the command once the entries differ; its environment stays as it started. */
function signalOnChange(
  child: ChildSupervisor,
  file: string,
  signal: NodeJS.Signals,
  startedWith: string,
  contentNow: () => Promise<string>,
): () => Promise<void> {
  let current = startedWith;
  return async () => {
    const next = await readOrTell(contentNow, `${file} is not signalled`);
    if (next === undefined || next === current) return;
    current = next;
    note(`the entries under the prefix changed: sending ${signal} to ${file}`);
    child.signal(signal);
  };
}

/**
 * A re-read, or undefined after telling why the entries make none (a collision, say): the command runs on. A failure
 * of the gateway is thrown: followChanges reads again after a backoff, so the change is not dropped.
 */
async function readOrTell<T>(read: () => Promise<T>, consequence: string): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isTransientFailure(error)) throw error;
    note(`${failureOf(error).message}; ${consequence}`);
    return undefined;
  }
}
