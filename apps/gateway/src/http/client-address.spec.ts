import { clientAddressOf } from './client-address';

describe('clientAddressOf', () => {
  it("takes Fastify's address when it is one", () => {
    expect(clientAddressOf({ ip: '198.51.100.7', socket: { remoteAddress: '10.0.0.1' } })).toBe('198.51.100.7');
    expect(clientAddressOf({ ip: '2001:db8::1' })).toBe('2001:db8::1');
  });

  it('falls back to the peer when a forwarded header named anything else', () => {
    for (const ip of ['not-an-ip', 'x'.repeat(5000), '1.2.3.4\u0000', '']) {
      expect(clientAddressOf({ ip, socket: { remoteAddress: '10.0.0.1' } })).toBe('10.0.0.1');
    }
  });
});
