/** `kv render`: a template with `{{ kv('key', 'app/namespace') }}` rendered to a file or standard output. */
import { Command, InvalidArgumentError } from 'commander';
import { readFile } from 'node:fs/promises';
import { nonNegativeInteger } from '../argument-parsers';
import type { CommandContext } from '../command-context';
import { UsageError } from '../exit-codes';
import { NamespaceRefError, parseNamespaceRef } from '../namespace-ref';
import { endOnClosedOutput, note } from '../output';
import { RenderJob } from '../render/render-job';
import { DEFAULT_DEBOUNCE_MS } from '../live/follow-changes';

interface RenderCommandOptions {
  output?: string;
  namespace?: string;
  watch?: boolean;
  debounce?: number;
  exec?: string;
}

export function registerRenderCommands(program: Command, { clientOf, print, resolveNamespace }: CommandContext): void {
  program
    .command('render')
    .description(
      "render a template (nunjucks, no escaping) whose {{ kv('key/path', 'app/namespace', errorOnMissing) }} are the entries' values, to standard output or, atomically with mode 0600, a file",
    )
    .argument('<template>', 'the template file')
    .option('-o, --output <file>', 'write here (temporary file beside it, then renamed over it; mode 0600; not rewritten if unchanged)')
    .option('--namespace <namespace>', "the namespace of a kv('key') that names none: id or application/name", namespaceRef)
    .option('--watch', 'keep going: render again after each change of a key the template read (until SIGINT or SIGTERM)')
    .option(
      '--debounce <ms>',
      `with --watch, changes closer together than this make one render (default ${DEFAULT_DEBOUNCE_MS})`,
      nonNegativeInteger,
    )
    .option('--exec <command>', 'run this shell command after each render that changed the output (its exit code is told on stderr)')
    .action(async (templateFile: string, options: RenderCommandOptions, command: Command) => {
      if (options.debounce !== undefined && !options.watch) throw new UsageError('--debounce is for --watch');
      const client = clientOf(command);
      const job = new RenderJob(
        {
          client,
          resolveNamespace: (text) => resolveNamespace(client, text),
          stdout: print,
          note,
        },
        {
          templateName: templateFile,
          source: await readFile(templateFile, 'utf8'),
          outputFile: options.output,
          defaultNamespace: options.namespace,
          exec: options.exec,
        },
      );
      const stop = new AbortController();
      // A reader of standard output that went away (`| head`) ends a watch as SIGTERM would.
      if (options.output === undefined) endOnClosedOutput(() => stop.abort());
      if (options.watch) return watchUntilSignalled(job, options.debounce ?? DEFAULT_DEBOUNCE_MS, stop);
      const { exec } = await job.run();
      if (exec === undefined) return;
      if (!exec.ok) throw new Error(`--exec ${exec.description}`);
      note(`--exec ${exec.description}`);
    });
}

/** SIGINT and SIGTERM end the watch after the render in progress, if any: exit 0. */
async function watchUntilSignalled(job: RenderJob, debounceMs: number, stop: AbortController): Promise<void> {
  const abort = () => stop.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    await job.watch({ debounceMs, signal: stop.signal });
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

function namespaceRef(text: string): string {
  try {
    parseNamespaceRef(text);
  } catch (error) {
    if (error instanceof NamespaceRefError) throw new InvalidArgumentError(error.message);
    throw error;
  }
  return text;
}
