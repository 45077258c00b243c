import { Injectable, PipeTransform } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  BulkKeysBody,
  BulkSetBody,
  EntryProblem,
  EntryWrite,
  SecretRotateBody,
  bulkKeysProblem,
  bulkWriteProblem,
  entryWriteProblem,
  rotationProblem,
  throwIfProblem,
} from '@app/contracts';
import type { GatewayEnv } from '../config/gateway.env';

/**
 * Applied to an entry route's `@Body()` after the global ValidationPipe has made it a DTO instance: the
 * entry rules of `@app/contracts` that the services apply again (value type and size, metadata, the keys
 * of a bulk call, a rotation's value), so that bad input never reaches the broker.
 */
@Injectable()
export class EntryInputPipe implements PipeTransform<unknown, unknown> {
  private readonly maxValueBytes: number;

  constructor(config: ConfigService<GatewayEnv, true>) {
    this.maxValueBytes = config.get('KV_MAX_VALUE_BYTES', { infer: true });
  }

  transform(value: unknown): unknown {
    throwIfProblem(this.problemOf(value));
    return value;
  }

  private problemOf(value: unknown): EntryProblem | null {
    if (value instanceof BulkSetBody) return bulkWriteProblem(value.entries, this.maxValueBytes);
    if (value instanceof BulkKeysBody) return bulkKeysProblem(value.keys);
    if (value instanceof EntryWrite) return entryWriteProblem(value, this.maxValueBytes);
    if (value instanceof SecretRotateBody) return rotationProblem(value, this.maxValueBytes);
    throw new Error(`EntryInputPipe applied to an unsupported body (${typeof value})`);
  }
}
