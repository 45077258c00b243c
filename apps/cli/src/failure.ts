import { EntryFileError, InvalidKeyPathError, KvApiError } from '@kv-service/client';
import { CommanderError } from 'commander';
import { TokenRequestError } from '@app/tokens';
import { ExitCode, NotFoundError, UsageError } from './exit-codes';
import { NamespaceRefError } from './namespace-ref';
import { RenderError } from './render/template';
import { ValueInputError } from './value-input';

/** The exit code for a failure, and the message to print (commander prints its own). */
export function failureOf(error: unknown): { code: ExitCode; message?: string } {
  if (error instanceof CommanderError) return { code: error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE };
  if (error instanceof KvApiError) {
    const requestId = error.requestId ? `, request ${error.requestId}` : '';
    return {
      code: error.isNotFound() ? ExitCode.NOT_FOUND : ExitCode.ERROR,
      message: `${error.message} (${error.code}, HTTP ${error.statusCode}${requestId})`,
    };
  }
  if (error instanceof RenderError) {
    if (error.cause === undefined) return { code: ExitCode.ERROR, message: error.message };
    // What failed in the template (a kv() call...), told where: a wrong namespace in it is no command-line mistake.
    const inner = failureOf(error.cause);
    return { code: inner.code === ExitCode.USAGE ? ExitCode.ERROR : inner.code, message: `${error.location}: ${inner.message}` };
  }
  if (error instanceof NotFoundError) return { code: ExitCode.NOT_FOUND, message: error.message };
  const usage = [UsageError, NamespaceRefError, ValueInputError, TokenRequestError, EntryFileError, InvalidKeyPathError];
  if (usage.some((kind) => error instanceof kind)) return { code: ExitCode.USAGE, message: (error as Error).message };
  // fetch says only "fetch failed"; its cause says why (e.g. connect ECONNREFUSED 127.0.0.1:8080).
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return { code: ExitCode.ERROR, message: error instanceof Error ? `${error.message}${cause}` : String(error) };
}
