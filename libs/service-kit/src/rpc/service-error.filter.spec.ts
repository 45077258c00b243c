import { ArgumentsHost, NotFoundException } from '@nestjs/common';
import { AbstractHttpAdapter } from '@nestjs/core';
import { ErrorCode, KvException } from '@app/contracts';
import { Observable, firstValueFrom } from 'rxjs';
import { ServiceErrorFilter } from './service-error.filter';

const hostOf = (type: 'rpc' | 'http') =>
  ({ getType: () => type, getArgByIndex: () => ({}), getArgs: () => [] }) as unknown as ArgumentsHost;

describe('ServiceErrorFilter', () => {
  it('turns a KvException on RPC into its payload', async () => {
    const filter = new ServiceErrorFilter();
    const result = filter.catch(new KvException(ErrorCode.ENTRY_NOT_FOUND, 'no entry'), hostOf('rpc')) as Observable<unknown>;
    await expect(firstValueFrom(result)).rejects.toEqual({ code: ErrorCode.ENTRY_NOT_FOUND, message: 'no entry' });
  });

  it("leaves HTTP errors to Nest's own handling, so health still answers", () => {
    const reply = jest.fn();
    const adapter = { reply, isHeadersSent: () => false, end: jest.fn() } as unknown as AbstractHttpAdapter;
    new ServiceErrorFilter(adapter).catch(new NotFoundException(), hostOf('http'));
    expect(reply).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ statusCode: 404 }), 404);
  });
});
