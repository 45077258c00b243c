import { Logger, OnModuleDestroy } from '@nestjs/common';
import { AuditAction, ChangeSource, ErrorCode, KvException, MessageMeta, NamespaceDescriptor, REVISION_HEADER } from '@app/contracts';
import { Permission, isGranted } from '@app/permissions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { auditRecordOf, auditedCallOf } from '../audit/audit-record.mapping';
import { AuditTrail } from '../audit/audit-trail';
import { NamespaceDirectory } from '../namespaces/namespace-directory.service';
import { ChangeFeeds } from './change-feeds.service';
import { SseStream, SseStreamOptions, sseHeaders } from './sse-stream';
import { Watch, WatchedSource } from './watch';
import { WatchPosition, formatWatchCursor, parseWatchCursor } from './watch-cursor';
import { WatchEndReason } from './watch-events';
import { WatchRegistry } from './watch-registry';

// Node runs a longer timer at once; a token valid for longer is re-armed.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a watch asks for. */
export interface WatchRequest {
  namespaceId: string;
  prefix: string;
  /** `Last-Event-ID`, else `since`: where to resume; none: from now. */
  cursor: string | undefined;
}

/** Both reads a listing needs: a watch tells what a listing would show, so it asks the same. */
const WATCH_PERMISSIONS = [Permission.NamespaceRead, Permission.EntryRead] as const;

/**
 * Opens watches: checks the caller may list the namespace, where it resumes from and that the change log still holds
 * that (each a JSON error before any byte of the stream), then streams until the token expires, the namespace is
 * deleted, the client goes, or the gateway stops. Each start and end is audited (WATCH, WATCH_END), not each event.
 */
export class WatchService implements OnModuleDestroy {
  private readonly logger = new Logger(WatchService.name);

  constructor(
    private readonly directory: NamespaceDirectory,
    private readonly feeds: ChangeFeeds,
    private readonly registry: WatchRegistry,
    private readonly trail: AuditTrail,
    private readonly streamOptions: SseStreamOptions,
  ) {}

  onModuleDestroy(): void {
    this.registry.shutDownAll();
  }

  async open(httpRequest: FastifyRequest, reply: FastifyReply, meta: MessageMeta, request: WatchRequest): Promise<void> {
    const namespace = await this.directory.describe(meta, request.namespaceId);
    const missing = WATCH_PERMISSIONS.find((permission) => !isGranted(meta.actor, permission, namespace.id));
    if (missing !== undefined) throw new KvException(ErrorCode.FORBIDDEN, `missing permission ${missing}`);
    const release = this.registry.acquire(meta.actor.id);
    let sources: WatchedSource[];
    let position: WatchPosition;
    try {
      position =
        request.cursor === undefined ? await this.now(meta, namespace) : parseWatchCursor(request.cursor, namespace.isSecretNamespace);
      sources = await Promise.all(this.sourcesOf(namespace).map((source) => this.watched(source, meta, request, position)));
    } catch (error) {
      release();
      throw error;
    }
    const call = auditedCallOf(httpRequest, AuditAction.WATCH);
    if (httpRequest.method === 'HEAD') {
      // The headers alone: where a watch would start now.
      release();
      reply.hijack();
      reply.raw.writeHead(200, sseHeaders(this.headersOf(reply, position))).end();
      this.trail.recordInBackground(auditRecordOf(call, { success: true, reply: null }));
      return;
    }
    let watch: Watch;
    try {
      watch = new Watch(
        this.openStream(reply, position, (): string => watch.cursor()),
        namespace.id,
        request.prefix,
        position,
      );
    } catch (error) {
      release();
      throw error;
    }
    this.trail.recordInBackground(auditRecordOf(call, { success: true, reply: null }));
    this.run(watch, sources, httpRequest.tokenExpiresAt, release).then(
      (reason) =>
        this.trail.recordInBackground({
          ...auditRecordOf({ ...call, action: AuditAction.WATCH_END }, { success: true, reply: null }),
          errorCode: reason,
        }),
      (error: Error) => this.logger.error(`watch of namespace ${namespace.id} failed: ${error.message}`),
    );
  }

  private openStream(reply: FastifyReply, start: WatchPosition, current: () => string): SseStream {
    reply.hijack();
    return new SseStream(reply.raw, this.headersOf(reply, start), this.streamOptions, {
      start: formatWatchCursor(start),
      current,
    });
  }

  /** What Fastify's hooks set on the reply (its request id), which a hijacked reply no longer sends, and where it starts. */
  private headersOf(reply: FastifyReply, start: WatchPosition): OutgoingHttpHeaders {
    return { ...(reply.getHeaders() as OutgoingHttpHeaders), [REVISION_HEADER]: formatWatchCursor(start) };
  }

  private async run(
    watch: Watch,
    sources: WatchedSource[],
    tokenExpiresAt: number | undefined,
    release: () => void,
  ): Promise<WatchEndReason> {
    const stream = watch.stream;
    const untrack = this.registry.track({ shutDown: () => stream.end(WatchEndReason.SHUTDOWN) });
    const expiry = this.armExpiry(stream, tokenExpiresAt ?? Date.now());
    try {
      return await watch.run(sources);
    } finally {
      clearTimeout(expiry.timer);
      untrack();
      release();
    }
  }

  /** Ends the stream when the token expires; re-armed for a token valid longer than a timer can wait. */
  private armExpiry(stream: SseStream, expiresAt: number): { timer: NodeJS.Timeout | undefined } {
    const expiry: { timer: NodeJS.Timeout | undefined } = { timer: undefined };
    const arm = (): void => {
      const left = expiresAt - Date.now();
      if (left <= 0) return stream.end(WatchEndReason.TOKEN_EXPIRED);
      expiry.timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      expiry.timer.unref();
    };
    arm();
    return expiry;
  }

  private sourcesOf(namespace: NamespaceDescriptor): ChangeSource[] {
    return namespace.isSecretNamespace ? [ChangeSource.KV_ENTRY, ChangeSource.SECRETS] : [ChangeSource.KV_ENTRY];
  }

  /** Where a watch without a cursor starts: the heads of its sources' logs now. */
  private async now(meta: MessageMeta, namespace: NamespaceDescriptor): Promise<WatchPosition> {
    const [entries, secrets] = await Promise.all(this.sourcesOf(namespace).map((source) => this.feeds.headOf(source, meta)));
    return { entries: entries!, secrets: secrets ?? null };
  }

  /** A source and the first page of its changes, read now so that a pruned or unknown position is a 410 or 400. */
  private async watched(source: ChangeSource, meta: MessageMeta, request: WatchRequest, position: WatchPosition): Promise<WatchedSource> {
    const changes = { namespaceId: request.namespaceId, prefix: request.prefix };
    const readPage = (after: number) => this.feeds.namespacePage(source, meta, { ...changes, after });
    const after = source === ChangeSource.KV_ENTRY ? position.entries : position.secrets!;
    return { source, feed: this.feeds.feedOf(source), first: await readPage(after), readPage };
  }
}
