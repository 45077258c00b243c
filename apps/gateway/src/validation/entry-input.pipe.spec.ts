import { ConfigService } from '@nestjs/config';
import { BulkKeysBody, BulkSetBody, EntryPutBody, ErrorCode, KvException, SecretRotateBody, ValueType } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import type { GatewayEnv } from '../config/gateway.env';
import { EntryInputPipe } from './entry-input.pipe';

// The rules themselves are specified beside them (libs/contracts entry-rules.spec); this is which body gets which.
describe('EntryInputPipe', () => {
  const pipe = new EntryInputPipe({ get: () => 10 } as unknown as ConfigService<GatewayEnv, true>);
  const refusal = (body: unknown) => {
    try {
      pipe.transform(body);
    } catch (error) {
      if (error instanceof KvException) return error.toPayload();
      throw error;
    }
    return null;
  };

  it('passes a valid body on as it is', () => {
    const body = plainToInstance(EntryPutBody, { value: 'v', valueType: ValueType.STRING });
    expect(pipe.transform(body)).toBe(body);
  });

  it('applies the write rules to an entry write, with the configured size limit', () => {
    expect(refusal(plainToInstance(EntryPutBody, { value: 'x'.repeat(9), valueType: ValueType.STRING }))).toEqual({
      code: ErrorCode.VALUE_TOO_LARGE,
      message: 'value must be at most 10 bytes once JSON-encoded',
    });
  });

  it('applies the bulk rules to a bulk set and to the keys of a bulk get or delete', () => {
    const entries = [{ key: 'a', value: 'v', valueType: ValueType.STRING }];
    expect(refusal(plainToInstance(BulkSetBody, { entries: [...entries, ...entries] }))?.code).toBe(ErrorCode.DUPLICATE_KEY);
    expect(refusal(plainToInstance(BulkKeysBody, { keys: ['a', 'a'] }))?.code).toBe(ErrorCode.DUPLICATE_KEY);
  });

  it("applies the rotation rules to a rotation's value", () => {
    expect(refusal(plainToInstance(SecretRotateBody, { value: 'x'.repeat(9) }))?.code).toBe(ErrorCode.VALUE_TOO_LARGE);
    expect(refusal(plainToInstance(SecretRotateBody, { length: 40 }))).toBeNull();
  });

  it('refuses to be applied to any other body', () => {
    expect(() => pipe.transform({ value: 'v' })).toThrow('EntryInputPipe applied to an unsupported body (object)');
  });
});
