import { Injectable, PipeTransform } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BulkKeysBody, BulkSetBody, EntryWrite, KvException, SecretRotateBody } from '@app/contracts';
import type { GatewayEnv } from '../config/gateway.env';
import { bulkKeysError, bulkSetError, entryWriteError, rotateError } from './entry-input';

/**
 * Applied to an entry route's `@Body()` after the global ValidationPipe has made it a DTO instance:
 * value type and size, metadata size, and the keys of a bulk call (a rotation's value likewise).
 */
@Injectable()
export class EntryInputPipe implements PipeTransform<unknown, unknown> {
  private readonly maxValueBytes: number;

  constructor(config: ConfigService<GatewayEnv, true>) {
    this.maxValueBytes = config.get('KV_MAX_VALUE_BYTES', { infer: true });
  }

  transform(value: unknown): unknown {
    const error = this.errorOf(value);
    if (error) throw error;
    return value;
  }

  private errorOf(value: unknown): KvException | null {
    if (value instanceof BulkSetBody) return bulkSetError(value, this.maxValueBytes);
    if (value instanceof BulkKeysBody) return bulkKeysError(value);
    if (value instanceof EntryWrite) return entryWriteError(value, this.maxValueBytes);
    if (value instanceof SecretRotateBody) return rotateError(value, this.maxValueBytes);
    throw new Error(`EntryInputPipe applied to an unsupported body (${typeof value})`);
  }
}
