import { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AuditAction, ChangeSource, ErrorCode, KvException, MessageMeta, NamespaceDescriptor, REVISION_HEADER } from '@app/contracts';
import { Permission, isGranted } from '@app/permissions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { AuditedCall, auditRecordOf, auditedCallOf } from '../audit/audit-record.mapping';
import { AuditTrail } from '../audit/audit-trail';
import { NamespaceDirectory } from '../namespaces/namespace-directory.service';
import { ChangeFeeds } from './change-feeds.service';
import { SseStreamOptions, sseHeaders } from './sse-stream';
import { Watch, WatchedSource } from './watch';
import { WatchPosition, formatWatchCursor, parseWatchCursor } from './watch-cursor';
import { WatchEndReason } from './watch-events';
import { WatchRegistry } from './watch-registry';
import { WatchTicker } from './watch-ticker';

export interface WatchStreamOptions extends SseStreamOptions {
  heartbeatMs: number;
}

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
export class WatchService implements OnModuleInit, OnModuleDestroy {
  private readonly ticker: WatchTicker;

  constructor(
    private readonly directory: NamespaceDirectory,
    private readonly feeds: ChangeFeeds,
    private readonly registry: WatchRegistry,
    private readonly trail: AuditTrail,
    private readonly streamOptions: WatchStreamOptions,
  ) {
    this.ticker = new WatchTicker(streamOptions.heartbeatMs);
  }

  onModuleInit(): void {
    this.ticker.start();
  }

  onModuleDestroy(): void {
    this.registry.shutDownAll();
    this.ticker.stop();
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
    reply.hijack();
    const watch: Watch = new Watch(
      reply.raw,
      this.streamOptions,
      this.feeds,
      meta,
      namespace.id,
      request.prefix,
      position,
      sources,
      httpRequest.tokenExpiresAt ?? Date.now(),
      (reason) => this.ended(watch, call, release, reason),
    );
    try {
      watch.open(this.headersOf(reply, position));
    } catch (error) {
      release();
      throw error;
    }
    this.trail.recordInBackground(auditRecordOf(call, { success: true, reply: null }));
    // Node keeps the request as long as its response, hours for a stream: its headers (the bearer token among them)
    // have been read, and nothing at the stream's end (logs, metrics) reads them again.
    httpRequest.raw.headers = {};
    httpRequest.raw.rawHeaders = [];
    this.registry.track(watch);
    this.ticker.add(watch);
    watch.run();
  }

  /** A watch's stream ended: it is let go of, counted out, and its end audited with why. */
  private ended(watch: Watch, call: AuditedCall, release: () => void, reason: WatchEndReason): void {
    this.ticker.delete(watch);
    this.registry.untrack(watch);
    release();
    this.trail.recordInBackground({
      ...auditRecordOf({ ...call, action: AuditAction.WATCH_END }, { success: true, reply: null }),
      errorCode: reason,
    });
  }

  /** What Fastify's hooks set on the reply (its request id), which a hijacked reply no longer sends, and where it starts. */
  private headersOf(reply: FastifyReply, start: WatchPosition): OutgoingHttpHeaders {
    return { ...(reply.getHeaders() as OutgoingHttpHeaders), [REVISION_HEADER]: formatWatchCursor(start) };
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
    const after = source === ChangeSource.KV_ENTRY ? position.entries : position.secrets!;
    const first = await this.feeds.namespacePage(source, meta, { namespaceId: request.namespaceId, prefix: request.prefix, after });
    return { source, feed: this.feeds.feedOf(source), first };
  }
}
