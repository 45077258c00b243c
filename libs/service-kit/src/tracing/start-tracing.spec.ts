import { startTracing } from './start-tracing';

describe('startTracing', () => {
  it('starts nothing when tracing is off, and its stop is immediate', async () => {
    const tracing = startTracing('spec', {});
    expect(tracing.enabled).toBe(false);
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });

  it('stops the process at start-up on bad settings, naming them', () => {
    expect(() => startTracing('spec', { KV_TRACING_ENABLED: 'true', KV_TRACING_SAMPLE_RATIO: '2' })).toThrow(
      /Invalid configuration:[\s\S]*KV_TRACING_SAMPLE_RATIO/,
    );
  });
});
