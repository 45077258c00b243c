import { isClosedChannelError } from './lost-replies';

describe('isClosedChannelError', () => {
  it('recognises the rejection of a publish whose channel closed', () => {
    expect(isClosedChannelError(new Error('channel closed'))).toBe(true);
    expect(isClosedChannelError(new Error('Channel closed'))).toBe(true);
  });

  it('leaves every other rejection to crash the process', () => {
    expect(isClosedChannelError(new Error('channel closed by server: 404 NOT_FOUND'))).toBe(false);
    expect(isClosedChannelError(new TypeError('x is undefined'))).toBe(false);
    expect(isClosedChannelError('channel closed')).toBe(false);
  });
});
