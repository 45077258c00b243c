import type { NamespaceDescriptor } from '@app/contracts';
import { AsyncLocalStorage } from 'node:async_hooks';

/** What a call learned on its way that its audit record needs, without asking anyone again. */
export interface AuditNotes {
  /** The namespace the call resolved through the NamespaceDirectory: its application, and whether it is secret. */
  namespace?: NamespaceDescriptor;
  /** Set once the audit hooks took the successful reply in hand (recorded it, or held it for its record). */
  replyRecorded?: boolean;
  /** A service answered with the stored outcome of a request sent again (`Idempotent-Replayed`). */
  replayed?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the audit hooks on audited routes; read back by the exception filter. */
    auditNotes?: AuditNotes;
  }
}

const currentNotes = new AsyncLocalStorage<AuditNotes>();

/**
 * Runs `work` (the rest of a call, its handler included) with `notes` as the current call's notes. The
 * handler's code does not see the request, so the directory notes what it resolved here rather than
 * through parameters.
 */
export function withAuditNotes<T>(notes: AuditNotes, work: () => T): T {
  return currentNotes.run(notes, work);
}

/** Notes the namespace the current call resolved; outside an audited call, does nothing. */
export function noteResolvedNamespace(namespace: NamespaceDescriptor): void {
  const notes = currentNotes.getStore();
  if (notes) notes.namespace = namespace;
}

/** Notes that a service answered the current call from a stored first outcome; outside an audited call, does nothing. */
export function noteReplayed(): void {
  const notes = currentNotes.getStore();
  if (notes) notes.replayed = true;
}
