/** `kv render`: a template with `{{ kv('key', 'app/namespace') }}` rendered to a file or standard output. */
import { Command, InvalidArgumentError } from 'commander';
import { readFile } from 'node:fs/promises';
import { nonNegativeInteger } from '../argument-parsers';
import type { CommandContext } from '../command-context';
import { UsageError } from '../exit-codes';
import { NamespaceRefError, parseNamespaceRef } from '../namespace-ref';
import { RenderJob } from '../render/render-job';

interface RenderCommandOptions {
  output?: string;
  namespace?: string;
  watch?: boolean;
  debounce?: number;
  exec?: string;
}

export const DEFAULT_RENDER_DEBOUNCE_MS = 250;

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
      `with --watch, changes closer together than this make one render (default ${DEFAULT_RENDER_DEBOUNCE_MS})`,
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
          stderr: (text) => void process.stderr.write(text),
        },
        {
          templateName: templateFile,
          source: await readFile(templateFile, 'utf8'),
          outputFile: options.output,
          defaultNamespace: options.namespace,
          exec: options.exec,
        },
      );
      if (options.watch) return watchUntilSignalled(job, options.debounce ?? DEFAULT_RENDER_DEBOUNCE_MS);
      const { exec } = await job.run(false);
      if (exec === undefined) return;
      if (!exec.ok) throw new Error(`--exec ${exec.description}`);
      process.stderr.write(`kv: --exec ${exec.description}\n`);
    });
}

/** SIGINT and SIGTERM end the watch after the render in progress, if any: exit 0. */
async function watchUntilSignalled(job: RenderJob, debounceMs: number): Promise<void> {
  const stop = new AbortController();
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
