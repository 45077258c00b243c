/** Which signals `kv run` passes on to its command, and how each is taken. */

/** Every signal kv run listens to while its command runs. */
export const RUN_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

/** Sent by a terminal to its whole foreground process group, the command included: sent again, they would come twice. */
const TERMINAL_GROUP_SIGNALS: ReadonlySet<NodeJS.Signals> = new Set(['SIGINT', 'SIGQUIT', 'SIGWINCH']);

/** Signals whose default ends a process: one that comes during a restart ends the command instead. */
const ENDING_SIGNALS: ReadonlySet<NodeJS.Signals> = new Set(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']);

export interface SignalRouting {
  /** Whether kv sends it to the command (false: the command has it already, from the terminal). */
  send: boolean;
  /** Whether it ends the command: a restart under way then starts no new one. */
  ends: boolean;
}

/**
 * How kv run takes `signal`. With standard input on a terminal, Ctrl-C, Ctrl-\ and a resize reach the command from
 * the terminal itself, so kv does not send them again (a program may take a second Ctrl-C as "quit now").
 */
export function signalRouting(signal: NodeJS.Signals, stdinIsTerminal: boolean): SignalRouting {
  return { send: !(stdinIsTerminal && TERMINAL_GROUP_SIGNALS.has(signal)), ends: ENDING_SIGNALS.has(signal) };
}
