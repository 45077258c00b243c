import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { AUDIT_RECORD_ROUTING_KEY, AuditRecordMessage, KV_AUDIT_EXCHANGE } from '@app/contracts';
import type { ConfirmPublisher } from '@app/service-kit';

/** The publisher the trail writes through: a ConfirmPublisher, or a recording one in tests. */
export type AuditPublisher = Pick<ConfirmPublisher, 'publishJson' | 'close'>;
export const AUDIT_PUBLISHER = Symbol('AUDIT_PUBLISHER');

/**
 * The gateway's records on `kv.audit`: reads, and refused or failed calls. Every record goes through
 * one confirm channel, so concurrent records share the broker's confirms.
 */
export class AuditTrail implements OnApplicationShutdown {
  private readonly logger = new Logger(AuditTrail.name);

  constructor(
    private readonly publisher: AuditPublisher,
    /** A record the broker has not confirmed within this time is given up. */
    private readonly timeoutMs: number,
  ) {}

  /** Resolves once the broker has the record; rejects when it did not confirm it in time. */
  record(record: AuditRecordMessage): Promise<void> {
    return this.publisher.publishJson(KV_AUDIT_EXCHANGE, AUDIT_RECORD_ROUTING_KEY, record, { messageId: record.id, timeoutMs: this.timeoutMs });
  }

  /** Records without holding the response up; a record that is lost is logged (ids and action only: never a value). */
  recordInBackground(record: AuditRecordMessage): void {
    this.record(record).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        `audit record ${record.id} lost (${record.action}, success=${record.success}, requestId=${record.requestId ?? '-'}): ${reason}`,
      );
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
  }
}
