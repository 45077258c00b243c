import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { AuditRecordMessage, MAX_AUDIT_RECORDS_PER_MESSAGE, auditRecordBreaches, sanitizedAuditRecord } from '@app/contracts';
import type { ConfirmPublisher } from '@app/service-kit';

/** The publisher the trail writes through: a ConfirmPublisher, or a recording one in tests. */
export type AuditPublisher = Pick<ConfirmPublisher, 'publishAuditRecords' | 'close'>;
export const AUDIT_PUBLISHER = Symbol('AUDIT_PUBLISHER');

export interface AuditTrailOptions {
  /** A record (or batch) the broker has not confirmed within this time is given up. */
  timeoutMs: number;
  /** Background records sent in one message at most; 1 sends each on its own. */
  batchMax: number;
  /** How long the first background record waits for others to share its message. */
  lingerMs: number;
}

/**
 * The gateway's records on `kv.audit`: reads, and refused or failed calls, each checked against the contract (`publishable`).
 * A record the reply waits for (a secret's read) leaves at once, with the others of its turn; the rest linger a few ms to
 * share one message, one delivery for many reads. One confirm channel, so concurrent messages share the broker's confirms.
 */
export class AuditTrail implements OnApplicationShutdown {
  private readonly logger = new Logger(AuditTrail.name);
  /** Records that broke the audit contract, by what became of them (a metric). */
  readonly contractBreaches = { sanitized: 0, dropped: 0 };
  private batch: AuditRecordMessage[] = [];
  private lingerTimer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly batchMax: number;
  private awaited: Array<{ record: AuditRecordMessage; confirmed: () => void; failed: (error: unknown) => void }> = [];
  private awaitedFlush: NodeJS.Immediate | undefined;

  constructor(
    private readonly publisher: AuditPublisher,
    private readonly options: AuditTrailOptions,
  ) {
    this.batchMax = Math.min(Math.max(1, options.batchMax), MAX_AUDIT_RECORDS_PER_MESSAGE);
  }

  /** Resolves once the broker has the record; rejects when it did not confirm it in time. */
  record(record: AuditRecordMessage): Promise<void> {
    const publishable = this.publishable(record);
    if (publishable === null) return Promise.reject(new Error('the audit record breaks the audit contract'));
    return new Promise<void>((confirmed, failed) => {
      this.awaited.push({ record: publishable, confirmed, failed });
      this.awaitedFlush ??= setImmediate(() => this.flushAwaited());
    });
  }

  /** Records without holding the response up; a record that is lost is logged (ids and action only: never a value). */
  recordInBackground(record: AuditRecordMessage): void {
    const publishable = this.publishable(record);
    if (publishable === null) return;
    this.batch.push(publishable);
    if (this.batch.length >= this.batchMax) this.flush();
    else this.lingerTimer ??= setTimeout(() => this.flush(), this.options.lingerMs);
  }

  /**
   * The record as it may go out: the audit service would refuse one that breaks the contract (an unstorable text once cost
   * every record of its message), so a sanitized copy still says the call happened; one that cannot be sanitized is dropped.
   * Both are logged by field names, never text. Runs on every record, hence the precompiled check (audit-record-check.ts).
   */
  private publishable(record: AuditRecordMessage): AuditRecordMessage | null {
    const breaches = auditRecordBreaches(record);
    if (breaches.length === 0) return record;
    const sanitized = sanitizedAuditRecord(record, breaches);
    const fields = breaches.join(', ');
    if (sanitized === null) {
      this.contractBreaches.dropped += 1;
      this.logger.error(`an audit record was dropped: its ${fields} broke the audit contract and have no stand-in (a bug of the gateway)`);
    } else {
      this.contractBreaches.sanitized += 1;
      this.logger.warn(
        `audit record ${sanitized.id} (${sanitized.action}, success=${sanitized.success}, requestId=${sanitized.requestId ?? '-'}) ` +
          `published with its ${fields} replaced: they broke the audit contract`,
      );
    }
    return sanitized;
  }

  async onApplicationShutdown(): Promise<void> {
    this.flushAwaited();
    this.flush();
    await Promise.all(this.inFlight);
    await this.publisher.close();
  }

  private flushAwaited(): void {
    clearImmediate(this.awaitedFlush);
    this.awaitedFlush = undefined;
    const waiting = this.awaited;
    this.awaited = [];
    if (waiting.length === 0) return;
    this.send(
      waiting.map(({ record }) => record),
      (sent) =>
        sent.then(
          () => waiting.forEach(({ confirmed }) => confirmed()),
          (error: unknown) => waiting.forEach(({ failed }) => failed(error)),
        ),
    );
  }

  private flush(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const records = this.batch;
    this.batch = [];
    if (records.length === 0) return;
    this.send(records, (sent) => sent.catch((error: unknown) => this.logLost(records, error)));
  }

  /** Publishes `records` in one send, which shutdown waits for until `settle` has dealt with its outcome. */
  private send(records: readonly AuditRecordMessage[], settle: (sent: Promise<void>) => Promise<void>): void {
    const settled = settle(this.publisher.publishAuditRecords(records, this.options.timeoutMs)).finally(() =>
      this.inFlight.delete(settled),
    );
    this.inFlight.add(settled);
  }

  private logLost(records: readonly AuditRecordMessage[], error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    for (const record of records) {
      this.logger.warn(
        `audit record ${record.id} lost (${record.action}, success=${record.success}, requestId=${record.requestId ?? '-'}): ${reason}`,
      );
    }
  }
}
