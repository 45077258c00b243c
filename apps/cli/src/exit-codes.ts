/** The `kv` command's exit codes (README, "Command line"). */
export const ExitCode = {
  OK: 0,
  /** The call failed: the gateway refused it, a conflict, a network error... */
  ERROR: 1,
  /** The command line is wrong: unknown command or option, missing argument, bad value. */
  USAGE: 2,
  /** The namespace, entry or version does not exist. */
  NOT_FOUND: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A mistake on the command line, found after commander parsed it. */
export class UsageError extends Error {}

/** Something named that does not exist, found without asking for it by id (e.g. an application/name). */
export class NotFoundError extends Error {}
