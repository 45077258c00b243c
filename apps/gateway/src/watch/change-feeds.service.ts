import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ChangeLogAdvanced,
  ChangeLogPage,
  ChangeLogPattern,
  ChangeSource,
  MAX_CHANGE_LOG_PAGE,
  MessageMeta,
  isChangeSource,
} from '@app/contracts';
import { randomUUID } from 'node:crypto';
import type { GatewayEnv } from '../config/gateway.env';
import { KvEntryClient } from '../rpc/kv-entry.client';
import { SecretsClient } from '../rpc/secrets.client';
import { ChangeFeed } from './change-feed';

/** Who reads the logs for the feeds: the gateway itself, with no grant (the services answer change-log reads to the gateway). */
const FEED_ACTOR = { id: 'gateway', permissions: [], applications: [] };

/** Where a page of one namespace's changes starts, and under which prefix. */
export interface NamespaceChanges {
  after: number;
  namespaceId: string;
  prefix: string;
}

/** The change logs of both entry services: the feeds every watch of this gateway follows, and reads of one namespace's changes. */
@Injectable()
export class ChangeFeeds implements OnModuleDestroy {
  private readonly feeds: Record<ChangeSource, ChangeFeed>;

  constructor(
    private readonly kvEntry: KvEntryClient,
    private readonly secrets: SecretsClient,
    config: ConfigService<GatewayEnv, true>,
  ) {
    const options = {
      retained: config.get('KV_WATCH_FEED_RETAINED', { infer: true }),
      pollIntervalMs: config.get('KV_WATCH_POLL_INTERVAL_MS', { infer: true }),
    };
    const feedOf = (source: ChangeSource): ChangeFeed =>
      new ChangeFeed(
        source,
        (after) => this.read(source, { actor: FEED_ACTOR, requestId: `watch-feed-${randomUUID()}` }, { after }),
        options,
      );
    this.feeds = { [ChangeSource.KV_ENTRY]: feedOf(ChangeSource.KV_ENTRY), [ChangeSource.SECRETS]: feedOf(ChangeSource.SECRETS) };
  }

  onModuleDestroy(): void {
    for (const feed of Object.values(this.feeds)) feed.stopReading();
  }

  feedOf(source: ChangeSource): ChangeFeed {
    return this.feeds[source];
  }

  /** One namespace's changes after a revision, for the watch that `meta` opened. */
  namespacePage(source: ChangeSource, meta: MessageMeta, changes: NamespaceChanges): Promise<ChangeLogPage> {
    return this.read(source, meta, { after: changes.after, namespaceId: changes.namespaceId, prefix: changes.prefix || undefined });
  }

  /** The revision a source's log is at now. */
  async headOf(source: ChangeSource, meta: MessageMeta): Promise<number> {
    return (await this.read(source, meta, { after: null })).head;
  }

  /** A doorbell from kv.changes: ignored unless it is one (the broker is trusted, its bytes are not). */
  ring(message: Buffer): void {
    let advanced: Partial<ChangeLogAdvanced>;
    try {
      advanced = JSON.parse(message.toString('utf8')) as Partial<ChangeLogAdvanced>;
    } catch {
      return;
    }
    if (isChangeSource(advanced.source) && Number.isSafeInteger(advanced.revision)) this.feeds[advanced.source].ring(advanced.revision!);
  }

  /** The doorbells' subscription was (re)made: any rung meanwhile were missed. */
  resync(): void {
    for (const feed of Object.values(this.feeds)) feed.resync();
  }

  private read(
    source: ChangeSource,
    meta: MessageMeta,
    query: { after: number | null; namespaceId?: string; prefix?: string },
  ): Promise<ChangeLogPage> {
    const request = { ...meta, ...query, limit: MAX_CHANGE_LOG_PAGE };
    return source === ChangeSource.KV_ENTRY
      ? this.kvEntry.send(ChangeLogPattern.KV_ENTRY_AFTER, request)
      : this.secrets.send(ChangeLogPattern.SECRETS_AFTER, request);
  }
}
