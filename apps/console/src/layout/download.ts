/**
 * Hands `content` to the browser as a file download. The object URL lives only for that click (no copy is kept): it
 * is revoked once the click has been handled, by when the browser has taken its copy.
 */
export function download(content: string | Uint8Array, fileName: string, mime = 'application/octet-stream'): void {
  // Bytes copied into a plain ArrayBuffer's view, which is what a Blob takes.
  const url = URL.createObjectURL(new Blob([typeof content === 'string' ? content : new Uint8Array(content)], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
