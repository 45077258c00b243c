/**
 * Rendered files written so that a reader sees the old file or the new one, never part of either.
 *
 * Hand-written on node:fs: write-file-atomic is here only as a dependency of jest (no types), and does not fsync the
 * directory, which makes the rename itself survive a crash.
 */
import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Owner read and write only: a rendered file may hold secrets. */
export const RENDERED_FILE_MODE = 0o600;

/**
 * Replaces the file at `path` (the file a symbolic link points to, if it is one) with `content`, mode 0600: written
 * to a temporary file beside it, flushed to disk, then renamed over it. A file that already holds exactly `content`
 * is not written (only its mode is narrowed to 0600 if wider); answers whether the content changed.
 */
export async function writeFileAtomically(path: string, content: string): Promise<boolean> {
  const target = await realpath(path).catch(orUndefinedIfMissing);
  const bytes = Buffer.from(content, 'utf8');
  if (target !== undefined && bytes.equals(await readFile(target))) {
    if (((await stat(target)).mode & 0o777) !== RENDERED_FILE_MODE) await chmod(target, RENDERED_FILE_MODE);
    return false;
  }
  const file = target ?? path;
  const directory = dirname(file);
  // Beside the target: a rename is atomic only within one file system.
  const temporary = join(directory, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', RENDERED_FILE_MODE);
    try {
      // The umask may have narrowed the mode further: set it exactly.
      await handle.chmod(RENDERED_FILE_MODE);
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(directory);
  return true;
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function orUndefinedIfMissing(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}
