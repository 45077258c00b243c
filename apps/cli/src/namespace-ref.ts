/** A namespace named on the command line: its id (a UUID), or `application/name`. */
export type NamespaceRef = { id: string } | { applicationId: string; name: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class NamespaceRefError extends Error {}

export function parseNamespaceRef(text: string): NamespaceRef {
  if (UUID.test(text)) return { id: text.toLowerCase() };
  const parts = text.split('/');
  // Neither application ids nor namespace names may contain "/".
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { applicationId: parts[0], name: parts[1] };
  throw new NamespaceRefError(`namespace ${JSON.stringify(text)}: give its id (a UUID) or application/name`);
}
