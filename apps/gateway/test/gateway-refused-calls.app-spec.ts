import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuditAction, ErrorCode } from '@app/contracts';
import { aPrincipal } from '../../../test/support/principals';
import { BootedGateway, bootGateway, tokenFor } from './support/boot-gateway';

// A spec file of its own: the limits come from the environment, which ConfigModule reads once.
describe('refused calls per client address (in-process)', () => {
  let app: NestFastifyApplication;
  let send: jest.Mock;
  let auditPublish: BootedGateway['auditPublish'];

  beforeAll(async () => {
    ({ app, send, auditPublish } = await bootGateway({
      KV_REFUSED_RATE_LIMIT_REQUESTS: '3',
      KV_REFUSED_RATE_LIMIT_WINDOW_SECONDS: '60',
      KV_TRUSTED_PROXIES: '10.1.0.0/16',
    }));
    send.mockResolvedValue({ items: [], nextCursor: null });
  });

  afterAll(async () => {
    await app.close();
  });

  const list = (headers: Record<string, string>, remoteAddress: string) =>
    app.inject({ method: 'GET', url: '/api/v1/kv/namespaces', headers, remoteAddress });
  const badToken = { authorization: 'Bearer not.a.token' };
  const recordedUsers = () =>
    auditPublish.mock.calls.flatMap(([records]) => records).filter((record) => record.action === AuditAction.REQUEST || record.errorCode);

  it('turns an address away with 429 after its limit of refused calls, auditing only the first', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await list(badToken, '192.0.2.10')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    const limited = await list(badToken, '192.0.2.10');
    expect(limited.json()).toMatchObject({ statusCode: 429, code: ErrorCode.RATE_LIMITED });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-request-id']).toEqual(expect.any(String));
    const fromThere = recordedUsers().filter((record) => record.clientAddress === '192.0.2.10');
    expect(fromThere.map((record) => record.errorCode)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  });

  it('counts 403s too, and lets every valid token through from a flooded address', async () => {
    const reader = { authorization: `Bearer ${await tokenFor(aPrincipal(['kv-namespace:read'], { id: 'reader' }))}` };
    const forbidden = () => app.inject({ method: 'GET', url: '/api/v1/kv/audit', headers: reader, remoteAddress: '192.0.2.20' });
    expect((await list(reader, '192.0.2.20')).statusCode).toBe(200);
    for (let i = 0; i < 3; i += 1) expect((await forbidden()).statusCode).toBe(403);
    expect((await list(badToken, '192.0.2.20')).statusCode).toBe(429);
    expect((await list(reader, '192.0.2.20')).statusCode).toBe(200);
    // A token the gateway never saw from there is verified, and goes through too: a flood locks no one out.
    const stranger = { authorization: `Bearer ${await tokenFor(aPrincipal(['*'], { id: 'stranger' }))}` };
    expect((await list(stranger, '192.0.2.20')).statusCode).toBe(200);
  });

  it('counts calls refused before any guard (a body that is not JSON, an unknown route), and then turns them away unread', async () => {
    const text = { 'content-type': 'text/plain' };
    const put = () =>
      app.inject({ method: 'PUT', url: '/api/v1/kv/namespaces/x', headers: text, payload: 'x', remoteAddress: '192.0.2.40' });
    expect((await put()).statusCode).toBe(415);
    expect((await app.inject({ method: 'GET', url: '/api/v1/kv/no/such/route', remoteAddress: '192.0.2.40' })).statusCode).toBe(404);
    expect((await put()).statusCode).toBe(415);
    const limited = await put();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: ErrorCode.RATE_LIMITED });
  });

  it('gives each client behind a trusted proxy its own bucket, and ignores X-Forwarded-For from anyone else', async () => {
    for (let i = 0; i < 3; i += 1) await list({ ...badToken, 'x-forwarded-for': '198.51.100.1' }, '10.1.2.3');
    expect((await list({ ...badToken, 'x-forwarded-for': '198.51.100.1' }, '10.1.2.3')).statusCode).toBe(429);
    expect((await list({ ...badToken, 'x-forwarded-for': '198.51.100.2' }, '10.1.2.3')).statusCode).toBe(401);

    // Not a trusted proxy: the header is the caller's own claim, and its bucket is its address.
    for (let i = 0; i < 3; i += 1) await list({ ...badToken, 'x-forwarded-for': `203.0.113.${i}` }, '192.0.2.30');
    expect((await list({ ...badToken, 'x-forwarded-for': '203.0.113.99' }, '192.0.2.30')).statusCode).toBe(429);
    const recorded = recordedUsers().filter((record) => record.clientAddress?.startsWith('203.0.113.'));
    expect(recorded).toEqual([]);
  });
});
