import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Limits } from '../common/limits';
import { MessageMeta } from '../common/message-meta';
import type { KvEvent } from '../events/kv-event';
import { IsWellFormedText } from '../text/text-rule';

/**
 * Each entry service's change log: its outbox relay gives every change it publishes the next revision of that service,
 * in publication order, and keeps it for a while (KV_CHANGE_LOG_RETENTION_*). Watches read it; a read reports its
 * service's last revision as a lower bound, so a watch from there misses nothing.
 */
export const ChangeSource = {
  KV_ENTRY: 'kv-entry',
  SECRETS: 'secrets',
} as const;
export type ChangeSource = (typeof ChangeSource)[keyof typeof ChangeSource];
export const CHANGE_SOURCES = Object.values(ChangeSource);

/**
 * A fanout exchange on which a relay says, once a round committed, how far its change log goes (`ChangeLogAdvanced`,
 * routing key: the source). A doorbell only, best effort: readers take the changes from the log itself.
 */
export const KV_CHANGES_EXCHANGE = 'kv.changes';

export interface ChangeLogAdvanced {
  source: ChangeSource;
  revision: number;
}

export const ChangeLogPattern = {
  KV_ENTRY_AFTER: 'kv-entry.change-log.after.query',
  SECRETS_AFTER: 'secrets.change-log.after.query',
} as const;

/** Each source's change-log query. */
export const CHANGE_LOG_PATTERN_OF = {
  [ChangeSource.KV_ENTRY]: ChangeLogPattern.KV_ENTRY_AFTER,
  [ChangeSource.SECRETS]: ChangeLogPattern.SECRETS_AFTER,
} as const satisfies Record<ChangeSource, string>;

/** The most changes one page of the change log holds. */
export const MAX_CHANGE_LOG_PAGE = 1000;

/**
 * Changes after a revision, oldest first. With a namespace: that namespace's only, under `prefix` (its namespace changes
 * always); without: every namespace's, for the gateway's own feed. The gateway authorizes the watch that asks, as it
 * opens (the log holds no value); its later pages are read without asking again, so that a watch whose namespace was
 * deleted meanwhile still reads up to that deletion.
 */
export class ChangeLogRequest extends MessageMeta {
  /** null: none, only how far the log goes now. */
  @IsOptional() @IsInt() @Min(0) after!: number | null;
  @IsOptional() @IsUUID() namespaceId?: string;
  @IsOptional() @IsString() @MaxLength(Limits.MAX_KEY_BYTES) @IsWellFormedText() prefix?: string;
  @IsInt() @Min(1) @Max(MAX_CHANGE_LOG_PAGE) limit!: number;
}

export interface LoggedChange {
  revision: number;
  event: KvEvent;
}

export interface ChangeLogPage {
  changes: LoggedChange[];
  /**
   * The page covers every change up to this revision (those of other namespaces or keys left out): the next page starts
   * after it. Equal to the log's head when the page is the last.
   */
  through: number;
  /** The log's last revision when the page was read. */
  head: number;
}

/** The change-log query of each entry service. */
export interface KvEntryChangeLogRpc {
  [ChangeLogPattern.KV_ENTRY_AFTER]: { request: ChangeLogRequest; reply: ChangeLogPage };
}
export interface SecretsChangeLogRpc {
  [ChangeLogPattern.SECRETS_AFTER]: { request: ChangeLogRequest; reply: ChangeLogPage };
}

/** The response header a read's revision goes in: a watch from it misses no later change. */
export const REVISION_HEADER = 'x-kv-revision';

/** A read's reply as a service gives it: the answer and its service's revision when it was read. */
export interface WithRevision {
  revision: number;
}

export const isChangeSource = (value: unknown): value is ChangeSource => CHANGE_SOURCES.includes(value as ChangeSource);
