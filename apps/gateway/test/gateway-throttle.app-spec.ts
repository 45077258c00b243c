import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ErrorCode } from '@app/contracts';
import { anAdmin } from '../../../test/support/principals';
import { bootGateway, tokenFor } from './support/boot-gateway';

// A spec file of its own: the limits come from the environment, which ConfigModule reads once.
describe('rate limiting (in-process)', () => {
  let app: NestFastifyApplication;
  let send: jest.Mock;

  beforeAll(async () => {
    ({ app, send } = await bootGateway({ KV_RATE_LIMIT_REQUESTS: '3', KV_RATE_LIMIT_WINDOW_SECONDS: '60' }));
  });

  afterAll(async () => {
    await app.close();
  });

  it('429 RATE_LIMITED with Retry-After once a principal exceeds the limit, counted per principal', async () => {
    send.mockResolvedValue({ items: [], nextCursor: null });
    const alice = await tokenFor(anAdmin({ id: 'alice' }));
    const bob = await tokenFor(anAdmin({ id: 'bob' }));
    const list = (token: string) =>
      app.inject({ method: 'GET', url: '/api/v1/kv/namespaces', headers: { authorization: `Bearer ${token}` } });

    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await list(alice)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);

    const limited = await list(alice);
    expect(limited.json()).toMatchObject({ statusCode: 429, code: ErrorCode.RATE_LIMITED });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    expect((await list(bob)).statusCode).toBe(200);
  });
});
