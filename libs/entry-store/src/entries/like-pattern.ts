/** Escapes LIKE's wildcards (`%`, `_`) and its escape character (`\`) so that `text` matches only itself. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** The LIKE pattern of "starts with `prefix`", for `key_path LIKE $n` (default escape `\`). */
export function likePrefixPattern(prefix: string): string {
  return `${escapeLike(prefix)}%`;
}
