/**
 * The command `kv run` starts: one child at a time, signals passed on to it, and restarts (SIGTERM, then SIGKILL
 * after a grace period) that are not taken for the child's own end.
 */
import { exitCodeOf } from './run-environment';
import type { SignalRouting } from './signal-routing';

/** What the supervisor needs of a child process (node's ChildProcess has it). */
export interface ChildProcessLike {
  readonly pid?: number;
  kill(signal: NodeJS.Signals): boolean;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

export type StartChild = (env: NodeJS.ProcessEnv) => ChildProcessLike;

/** How the command ended, as kv's exit: its code as a shell gives it, and why when it could not start. */
export interface ChildEnd {
  exitCode: number;
  failure?: string;
}

interface Running {
  /** None when node refused to start it. */
  process?: ChildProcessLike;
  /** Set once a restart has sent SIGTERM: its exit is the restart's, not the command's end. */
  stopping: boolean;
  end?: ChildEnd;
  exited: Promise<ChildEnd>;
}

/** Runs `command` in a child; `ended` resolves when it ends by itself (or by a signal passed on), never by a restart. */
export class ChildSupervisor {
  /** kv's exit: resolves once, when the command ends other than by a restart. */
  readonly ended: Promise<ChildEnd>;
  private finish: (end: ChildEnd) => void = () => undefined;
  private finished = false;
  private current: Running;
  /** A signal came while a restart was stopping the child: it ends the command, none is started again. */
  private restartAbandoned = false;

  constructor(
    private readonly command: string,
    private readonly start: StartChild,
    env: NodeJS.ProcessEnv,
    private readonly graceMs: number,
  ) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
    this.current = this.launch(env);
  }

  /**
   * Passes a signal on to the child (unless `send` is false: it has it already). One that `ends` the command, coming
   * during a restart, ends it instead of letting a new one start.
   */
  signal(signal: NodeJS.Signals, { send, ends }: SignalRouting = { send: true, ends: true }): void {
    if (this.finished) return;
    if (this.current.stopping && ends) this.restartAbandoned = true;
    if (send && this.current.end === undefined) this.current.process?.kill(signal);
  }

  /**
   * Stops the child (SIGTERM, SIGKILL after the grace period) and starts it again with `env`. False, starting
   * nothing, when the command had already ended or a signal came meanwhile.
   */
  async restart(env: NodeJS.ProcessEnv): Promise<boolean> {
    const running = this.current;
    if (this.finished || running.end !== undefined) return false;
    running.stopping = true;
    running.process?.kill('SIGTERM');
    const kill = setTimeout(() => running.process?.kill('SIGKILL'), this.graceMs);
    const end = await running.exited;
    clearTimeout(kill);
    if (this.restartAbandoned) {
      this.end(end);
      return false;
    }
    this.current = this.launch(env);
    return true;
  }

  private launch(env: NodeJS.ProcessEnv): Running {
    let exit: (end: ChildEnd) => void = () => undefined;
    const running: Running = { stopping: false, exited: new Promise((resolve) => (exit = resolve)) };
    const ended = (end: ChildEnd) => {
      if (running.end !== undefined) return;
      running.end = end;
      exit(end);
      if (!running.stopping) this.end(end);
    };
    try {
      running.process = this.start(env);
    } catch (error) {
      // E.g. an argument with a NUL byte: node refuses before any process exists.
      ended(this.failedStart(error));
      return running;
    }
    const { process } = running;
    process.on('exit', (code, signal) => ended({ exitCode: exitCodeOf(code, signal) }));
    // Without a pid the process never started (ENOENT, EACCES...); a later error (a failed kill) is followed by 'exit'.
    process.on('error', (error) => {
      if (process.pid === undefined) ended(this.failedStart(error));
    });
    return running;
  }

  private end(end: ChildEnd): void {
    if (this.finished) return;
    this.finished = true;
    this.finish(end);
  }

  /** A shell's codes: 127 for a command it cannot find, 126 for one it cannot run. */
  private failedStart(error: unknown): ChildEnd {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { exitCode: 127, failure: `command not found: ${this.command}` };
    // The code alone: node's messages about a refused start may quote the environment.
    const reason = code ?? (error instanceof Error ? error.name : 'unknown error');
    return { exitCode: 126, failure: `cannot run ${this.command} (${reason})` };
  }
}
