import { validateGatewayEnv } from './gateway.env';

const SECRET = 'x'.repeat(32);

describe('GatewayEnv', () => {
  it('applies the defaults', () => {
    const env = validateGatewayEnv({ KV_JWT_SECRET: SECRET });
    expect(env).toMatchObject({
      KV_HTTP_PORT: 8080,
      KV_RPC_TIMEOUT_MS: 5000,
      KV_MAX_BODY_BYTES: 16 * 1024 * 1024,
      KV_NAMESPACE_CACHE_TTL_MS: 5000,
      KV_AUDIT_PUBLISH_TIMEOUT_MS: 2000,
      KV_RATE_LIMIT_REQUESTS: 50000,
      KV_RATE_LIMIT_WINDOW_SECONDS: 60,
    });
  });

  it('converts numbers given as strings, as the environment gives them', () => {
    const env = validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_HTTP_PORT: '18080', KV_MAX_VALUE_BYTES: '2048', KV_MAX_BODY_BYTES: '4096' });
    expect(env).toMatchObject({ KV_HTTP_PORT: 18080, KV_MAX_VALUE_BYTES: 2048, KV_MAX_BODY_BYTES: 4096 });
  });

  it('requires a secret of at least 32 characters unless a JWKS is set', () => {
    expect(() => validateGatewayEnv({})).toThrow('KV_JWT_SECRET');
    expect(() => validateGatewayEnv({ KV_JWT_SECRET: 'short' })).toThrow('at least 32 characters');
    expect(validateGatewayEnv({ KV_JWT_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json' }).KV_JWT_SECRET).toBeUndefined();
  });

  it("refuses the example files' placeholder secrets, which are public", () => {
    for (const placeholder of ['replace-me-openssl-rand-base64-48', 'change-me-to-a-random-string-of-32-or-more-characters']) {
      expect(() => validateGatewayEnv({ KV_JWT_SECRET: placeholder })).toThrow('example placeholder');
    }
  });

  it('refuses both a secret and a JWKS', () => {
    expect(() => validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_JWT_JWKS_URL: 'https://idp.example.com/jwks' })).toThrow('not both');
  });

  it('accepts a namespace cache TTL of 0 (no caching) up to a minute', () => {
    expect(validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_NAMESPACE_CACHE_TTL_MS: '0' }).KV_NAMESPACE_CACHE_TTL_MS).toBe(0);
    expect(() => validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_NAMESPACE_CACHE_TTL_MS: '60001' })).toThrow('KV_NAMESPACE_CACHE_TTL_MS');
    expect(() => validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_NAMESPACE_CACHE_TTL_MS: '-1' })).toThrow('KV_NAMESPACE_CACHE_TTL_MS');
  });

  it('accepts an audit publish timeout from 100 ms to a minute', () => {
    expect(validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_AUDIT_PUBLISH_TIMEOUT_MS: '500' }).KV_AUDIT_PUBLISH_TIMEOUT_MS).toBe(500);
    expect(() => validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_AUDIT_PUBLISH_TIMEOUT_MS: '99' })).toThrow('KV_AUDIT_PUBLISH_TIMEOUT_MS');
    expect(() => validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_AUDIT_PUBLISH_TIMEOUT_MS: '60001' })).toThrow(
      'KV_AUDIT_PUBLISH_TIMEOUT_MS',
    );
  });

  it('declares classic queues unless told quorum, and refuses any other queue type', () => {
    expect(validateGatewayEnv({ KV_JWT_SECRET: SECRET })).toMatchObject({
      KV_RABBITMQ_QUEUE_TYPE: 'classic',
      KV_RABBITMQ_REQUEST_QUEUE_TYPE: 'classic',
    });
    expect(
      validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_RABBITMQ_QUEUE_TYPE: 'quorum', KV_RABBITMQ_REQUEST_QUEUE_TYPE: 'quorum' }),
    ).toMatchObject({ KV_RABBITMQ_QUEUE_TYPE: 'quorum', KV_RABBITMQ_REQUEST_QUEUE_TYPE: 'quorum' });
    expect(() => validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_RABBITMQ_QUEUE_TYPE: 'stream' })).toThrow('KV_RABBITMQ_QUEUE_TYPE');
    expect(() => validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_RABBITMQ_REQUEST_QUEUE_TYPE: 'Quorum' })).toThrow(
      'KV_RABBITMQ_REQUEST_QUEUE_TYPE',
    );
  });

  it('requires the body limit to exceed the value limit', () => {
    expect(() => validateGatewayEnv({ KV_JWT_SECRET: SECRET, KV_MAX_VALUE_BYTES: '4096', KV_MAX_BODY_BYTES: '4096' })).toThrow(
      'KV_MAX_BODY_BYTES must be greater than KV_MAX_VALUE_BYTES',
    );
  });
});
