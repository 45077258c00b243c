/** What every command group needs: the global options, a client, output, and namespace names resolved to ids. */
import { KvClient } from '@kv-service/client';
import { Command, Option } from 'commander';
import { resolveConnection } from './config';
import { NotFoundError } from './exit-codes';
import { parseNamespaceRef } from './namespace-ref';

export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
  /** Seconds an attempt may wait for its answer. */
  timeout?: number;
}

/** What every command that writes takes. */
export interface WriteCommandOptions {
  idempotencyKey?: string;
}

/** `--idempotency-key`: a script that runs a write again (after a timeout, say) passes the same key both times. */
export function idempotencyKeyOption(
  description = 'send this Idempotency-Key instead of a fresh one: run again with the same key, the write answers as it first did instead of applying twice (the gateway keeps a key 24 h by default)',
): Option {
  return new Option('--idempotency-key <key>', description);
}

export interface CommandContext {
  globals: (command: Command) => GlobalOptions;
  clientOf: (command: Command) => KvClient;
  print: (text: string) => void;
  /** The id of a namespace named by its id or as application/name. */
  resolveNamespace: (client: KvClient, text: string) => Promise<string>;
}

export function commandContext(env: NodeJS.ProcessEnv): CommandContext {
  const globals = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();
  return {
    globals,
    clientOf: (command) => {
      const options = globals(command);
      const { url, token } = resolveConnection(options, env);
      return new KvClient({ baseUrl: url, token, timeoutMs: options.timeout === undefined ? undefined : options.timeout * 1000 });
    },
    print: (text) => void process.stdout.write(text),
    resolveNamespace: async (client, text) => {
      const ref = parseNamespaceRef(text);
      if ('id' in ref) return ref.id;
      for await (const namespace of client.namespaces({ applicationId: ref.applicationId })) {
        if (namespace.name === ref.name) return namespace.id;
      }
      throw new NotFoundError(`namespace ${ref.applicationId}/${ref.name} not found`);
    },
  };
}
