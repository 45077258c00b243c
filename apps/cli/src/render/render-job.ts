/** `kv render`'s work: render, write the output if it changed, run `--exec`; with `--watch`, again on each change. */
import type { ChangeEvent, KvClient } from '@kv-service/client';
import { spawn } from 'node:child_process';
import { followChanges, isTransientFailure } from '../live/follow-changes';
import { reconnectNote, retryNote } from '../live/watch-notes';
import { writeFileAtomically } from './atomic-file';
import { GatewayReads } from './gateway-reads';
import { RenderError, renderTemplate } from './template';

export interface RenderJobOptions {
  /** The template's file name, for messages. */
  templateName: string;
  source: string;
  /** The file to write; standard output without one. */
  outputFile?: string;
  defaultNamespace?: string;
  /** A shell command to run after each render that changed the output. */
  exec?: string;
}

export interface RenderJobIo {
  client: Pick<KvClient, 'bulkGet' | 'watch'>;
  resolveNamespace: (text: string) => Promise<string>;
  stdout: (text: string) => void;
  /** A line about the job on standard error: never a value. */
  note: (text: string) => void;
}

/** What a render read, namespace by namespace (by id): the keys it asked for, and the revision of its first read. */
export type RenderedReads = ReadonlyMap<string, { keys: ReadonlySet<string>; revision: string | null }>;

export interface RenderOutcome {
  reads: RenderedReads;
  /** Whether the output changed (a file rewritten, or printed). */
  changed: boolean;
  /** How `--exec` ended, when it ran (the output changed). */
  exec?: ExecOutcome;
}

export interface ExecOutcome {
  ok: boolean;
  /** E.g. "exited with code 0": no value, no command line. */
  description: string;
}

export class RenderJob {
  private printed: string | undefined;

  constructor(
    private readonly io: RenderJobIo,
    private readonly options: RenderJobOptions,
  ) {}

  /** Renders (noting each namespace's revision, as of its first read), writes, runs `--exec`. */
  async run(): Promise<RenderOutcome> {
    const gateway = new GatewayReads(this.io.client, this.io.resolveNamespace);
    const rendered = await renderTemplate(this.options.source, {
      name: this.options.templateName,
      defaultNamespace: this.options.defaultNamespace,
      read: gateway.read,
    });
    const reads = new Map<string, { keys: Set<string>; revision: string | null }>();
    for (const [namespace, keys] of rendered.reads) {
      const id = await gateway.idOf(namespace);
      const read = reads.get(id) ?? { keys: new Set<string>(), revision: gateway.revisionOf(id) };
      for (const key of keys) read.keys.add(key);
      reads.set(id, read);
    }
    if (!(await this.write(rendered.text))) return { reads, changed: false };
    return { reads, changed: true, exec: this.options.exec === undefined ? undefined : await runShellCommand(this.options.exec) };
  }

  /** Follows what the first render read, rendering again after each burst of changes, until `signal` aborts. */
  async watch(options: { debounceMs: number; signal: AbortSignal }): Promise<void> {
    let current = this.report(await this.run());
    while (!options.signal.aborted) {
      const following = new AbortController();
      const stop = () => following.abort();
      options.signal.addEventListener('abort', stop, { once: true });
      let moved: RenderedReads | undefined;
      try {
        await followChanges(
          this.io.client.watch.bind(this.io.client),
          [...current].map(([namespaceId, { revision }]) => ({ namespaceId, since: revision ?? undefined })),
          {
            debounceMs: options.debounceMs,
            signal: following.signal,
            onChange: async (changes) => {
              if (!concernsReads(changes, current)) return;
              const reads = await this.rerender();
              if (reads === undefined) return;
              if (sameNamespaces(reads, current)) current = reads;
              else {
                // A value now names another namespace: follow the new set from the revisions this render took.
                moved = reads;
                following.abort();
              }
            },
            onRestart: (namespaceId) => this.io.note(`the watch of ${namespaceId} could not resume from its revision: reading again`),
            onRetry: (error, delayMs) => this.io.note(retryNote(error, delayMs)),
            onReconnect: (reconnection) => this.io.note(reconnectNote(reconnection)),
          },
        );
      } finally {
        options.signal.removeEventListener('abort', stop);
      }
      if (options.signal.aborted) return;
      // Every watch finished (their namespaces deleted), unless the set moved: a fresh render says what is left.
      current = moved ?? this.report(await this.run());
    }
  }

  /**
   * A render after a change; a template that fails now (a key deleted, say) is told, and the last output stays. A
   * read the gateway failed is thrown as that failure: followChanges renders again after a backoff.
   */
  private async rerender(): Promise<RenderedReads | undefined> {
    try {
      return this.report(await this.run());
    } catch (error) {
      if (!(error instanceof RenderError)) throw error;
      if (isTransientFailure(error.cause)) throw error.cause;
      this.io.note(`${error.message} (the last render stays)`);
      return undefined;
    }
  }

  /** What a watch tells of each render on stderr. */
  private report(outcome: RenderOutcome): RenderedReads {
    if (outcome.changed && this.options.outputFile !== undefined) this.io.note(`wrote ${this.options.outputFile}`);
    if (outcome.exec !== undefined) this.io.note(`--exec ${outcome.exec.description}`);
    return outcome.reads;
  }

  /** Answers whether the output changed. */
  private async write(text: string): Promise<boolean> {
    if (this.options.outputFile !== undefined) return writeFileAtomically(this.options.outputFile, text);
    if (text === this.printed) return false;
    this.printed = text;
    this.io.stdout(text);
    return true;
  }
}

/** Whether a burst of changes may change the render: a key it read, the namespace itself, or a re-read asked for. */
export function concernsReads(changes: readonly ChangeEvent[], reads: RenderedReads): boolean {
  if (changes.length === 0) return true;
  return changes.some((change) => {
    const read = reads.get(change.namespaceId);
    return change.keyPath === null || read === undefined || read.keys.has(change.keyPath);
  });
}

function sameNamespaces(a: RenderedReads, b: RenderedReads): boolean {
  return a.size === b.size && [...a.keys()].every((id) => b.has(id));
}

/** The user's command, through the shell as they wrote it; its output goes where kv's does. */
function runShellCommand(command: string): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (error) => resolve({ ok: false, description: `could not start: ${error.message}` }));
    child.once('exit', (code, signal) =>
      resolve(
        signal === null
          ? { ok: code === 0, description: `exited with code ${String(code)}` }
          : { ok: false, description: `ended by ${signal}` },
      ),
    );
  });
}
