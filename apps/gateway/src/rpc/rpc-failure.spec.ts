import { ErrorCode } from '@app/contracts';
import { BrokerUnavailableError, IncompatibleReplyError, RpcTimeoutError } from '@app/service-kit';
import { describeRpcError, rpcFailure } from './rpc-failure';

const context = { service: 'kv-entry', timeoutMs: 5000, errorId: 'e-1' };

describe('rpcFailure', () => {
  it.each([
    ['a service error payload', { code: 'VERSION_CONFLICT', message: 'version is 3' }, ErrorCode.VERSION_CONFLICT],
    ['no reply in time', new RpcTimeoutError('no reply within 5000 ms'), ErrorCode.SERVICE_TIMEOUT],
    ['no broker connection', new BrokerUnavailableError('message broker unreachable'), ErrorCode.SERVICE_UNAVAILABLE],
    ['a fault in this process (a reply that cannot be JSON, say)', new TypeError('BigInt'), ErrorCode.INTERNAL_ERROR],
    ['a reply of an older service', new IncompatibleReplyError('kv-entry answered in another protocol'), ErrorCode.SERVICE_UNAVAILABLE],
    ['an unknown code', { code: 'NO_SUCH_CODE', message: 'x' }, ErrorCode.INTERNAL_ERROR],
    ['a malformed reply', { malformed: 'reply is not JSON' }, ErrorCode.INTERNAL_ERROR],
  ])('maps %s', (_label, error, code) => {
    expect(rpcFailure(error, context).code).toBe(code);
  });

  it('says how long it waited on a timeout', () => {
    expect(rpcFailure(new RpcTimeoutError('x'), context).message).toBe('kv-entry did not answer within 5000 ms');
  });

  it('keeps only the error id of an unexpected reply', () => {
    expect(rpcFailure({ status: 'error', message: 'value=hunter2' }, context).message).toBe('internal error (errorId e-1)');
  });
});

describe('describeRpcError', () => {
  it('describes local failures and never a reply’s payload', () => {
    expect(describeRpcError(new BrokerUnavailableError('message broker unreachable'))).toBe(
      'BrokerUnavailableError: message broker unreachable',
    );
    expect(describeRpcError({ secret: 'hunter2' })).toBe('unexpected reply of type object');
  });
});
