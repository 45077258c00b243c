/** What every command group needs: the global options, a client, output, and namespace names resolved to ids. */
import { KvClient } from '@kv-service/client';
import type { Command } from 'commander';
import { resolveConnection } from './config';
import { NotFoundError } from './exit-codes';
import { parseNamespaceRef } from './namespace-ref';

export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
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
      const { url, token } = resolveConnection(globals(command), env);
      return new KvClient({ baseUrl: url, token });
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
