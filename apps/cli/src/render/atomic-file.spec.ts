import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  closeSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomically } from './atomic-file';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('writeFileAtomically', () => {
  let directory: string;
  let file: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'kv-atomic-'));
    file = join(directory, 'app.conf');
  });

  it('creates the file with mode 0600, whatever the umask, and leaves nothing beside it', async () => {
    const umask = process.umask(0o000);
    try {
      expect(await writeFileAtomically(file, 'password=é\n')).toBe(true);
    } finally {
      process.umask(umask);
    }
    expect(readFileSync(file, 'utf8')).toBe('password=é\n');
    expect(modeOf(file)).toBe(0o600);
    expect(readdirSync(directory)).toEqual(['app.conf']);
  });

  it('replaces the file by a rename: a reader of the old file reads all of it, and the new one is whole', async () => {
    writeFileSync(file, 'old content\n', { mode: 0o644 });
    const before = statSync(file);
    const reader = openSync(file, 'r');
    try {
      expect(await writeFileAtomically(file, 'new content, longer than the old\n')).toBe(true);
      // Not truncated and rewritten in place: the old file, still open, is intact.
      const buffer = Buffer.alloc(64);
      expect(buffer.subarray(0, readSync(reader, buffer, 0, 64, 0)).toString()).toBe('old content\n');
    } finally {
      closeSync(reader);
    }
    const after = statSync(file);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('new content, longer than the old\n');
    expect(readdirSync(directory)).toEqual(['app.conf']);
  });

  it('does not rewrite a file that holds the content already, and narrows its mode to 0600', async () => {
    writeFileSync(file, 'same\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    const before = statSync(file);
    expect(await writeFileAtomically(file, 'same\n')).toBe(false);
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(after.mode & 0o777).toBe(0o600);
  });

  it('writes through a symbolic link: the link stays, the file it points to is replaced', async () => {
    const real = join(directory, 'real.conf');
    writeFileSync(real, 'old\n');
    const link = join(directory, 'link.conf');
    symlinkSync(real, link);
    expect(await writeFileAtomically(link, 'new\n')).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new\n');
    expect(modeOf(real)).toBe(0o600);
    expect(readdirSync(directory).sort()).toEqual(['link.conf', 'real.conf']);
  });

  it('fails with the reason where the directory does not exist', async () => {
    await expect(writeFileAtomically(join(directory, 'no', 'such', 'dir', 'app.conf'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(directory)).toEqual([]);
  });
});
