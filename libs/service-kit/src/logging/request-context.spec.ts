import { currentRequestId, withRequestId } from './request-context';

describe('withRequestId', () => {
  it('makes the request id current for the work and what it awaits, and only there', async () => {
    const seen = await withRequestId('req-42', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return currentRequestId();
    });
    expect(seen).toBe('req-42');
    expect(currentRequestId()).toBeUndefined();
  });
});
