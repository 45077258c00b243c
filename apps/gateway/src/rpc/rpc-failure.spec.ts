import { ErrorCode } from '@app/contracts';
import { TimeoutError } from 'rxjs';
import { describeRpcError, isLocalError, rpcFailure } from './rpc-failure';

const context = { service: 'kv-entry', timeoutMs: 5000, connected: true, errorId: 'e-1' };

describe('rpcFailure', () => {
  it.each([
    ['a service error payload', { code: 'VERSION_CONFLICT', message: 'version is 3' }, ErrorCode.VERSION_CONFLICT],
    ['a timeout while connected', new TimeoutError(), ErrorCode.SERVICE_TIMEOUT],
    [
      'a lost connection (ClientRMQ rejects with a string)',
      'Error: Connection lost. Trying to reconnect...',
      ErrorCode.SERVICE_UNAVAILABLE,
    ],
    ['a refused connection', new Error('connect ECONNREFUSED'), ErrorCode.SERVICE_UNAVAILABLE],
    ['a failed first connect ({ err, url })', { err: new Error('connect ECONNREFUSED'), url: 'amqp://x' }, ErrorCode.SERVICE_UNAVAILABLE],
    ['an unknown code', { code: 'NO_SUCH_CODE', message: 'x' }, ErrorCode.INTERNAL_ERROR],
    ["Nest's default error reply", { status: 'error', message: 'Internal server error' }, ErrorCode.INTERNAL_ERROR],
  ])('maps %s', (_label, error, code) => {
    expect(rpcFailure(error, context).code).toBe(code);
  });

  it('treats a timeout without a broker connection as the service being unavailable', () => {
    expect(rpcFailure(new TimeoutError(), { ...context, connected: false }).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
  });

  it('keeps only the error id of an unexpected reply', () => {
    expect(rpcFailure({ status: 'error', message: 'value=hunter2' }, context).message).toBe('internal error (errorId e-1)');
  });
});

describe('isLocalError / describeRpcError', () => {
  it('tells local failures from replies and describes them without payloads', () => {
    expect(isLocalError({ code: 'X', message: 'y' })).toBe(false);
    expect(describeRpcError({ err: new Error('connect ECONNREFUSED'), url: 'amqp://x' })).toBe('Error: connect ECONNREFUSED');
    expect(describeRpcError({ secret: 'hunter2' })).toBe('unexpected reply of type object');
  });
});
