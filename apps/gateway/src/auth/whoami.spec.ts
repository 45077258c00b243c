import { aPrincipal } from '../../../../test/support/principals';
import { whoamiOf } from './whoami';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
const NOW = Date.parse('2026-03-01T12:00:00.000Z');

describe('whoamiOf', () => {
  it("says who the token's holder is, its grants as stated, applications and expiry", () => {
    const principal = aPrincipal(['kv-namespace:read'], { id: 'console-user', applications: ['billing'] });
    expect(whoamiOf(principal, NOW + 90_500, NOW)).toEqual({
      userId: 'console-user',
      permissions: ['kv-namespace:read'],
      granted: [{ permission: 'kv-namespace:read', allNamespaces: true, namespaceIds: [] }],
      applications: ['billing'],
      expiresAt: '2026-03-01T12:01:30.500Z',
      expiresInSeconds: 90,
    });
  });

  it('grants what the guards grant: a wildcard every permission of its resource, a scoped grant its namespace only', () => {
    const principal = aPrincipal(['kv-entry:*', `kv-secret:rotate@${NS}`, 'kv-audit:read@other', `kv-secret:rotate@${NS}`]);
    expect(whoamiOf(principal, NOW, NOW).granted).toEqual([
      { permission: 'kv-entry:read', allNamespaces: true, namespaceIds: [] },
      { permission: 'kv-entry:write', allNamespaces: true, namespaceIds: [] },
      { permission: 'kv-entry:delete', allNamespaces: true, namespaceIds: [] },
      { permission: 'kv-secret:rotate', allNamespaces: false, namespaceIds: [NS] },
      { permission: 'kv-audit:read', allNamespaces: false, namespaceIds: ['other'] },
    ]);
  });

  it('grants nothing for an unknown or malformed grant, and never a negative time left', () => {
    const answer = whoamiOf(aPrincipal(['kv-entry:reed', 'kv-entry:read@a@b', '']), NOW - 5_000, NOW);
    expect(answer.granted).toEqual([]);
    expect(answer.permissions).toEqual(['kv-entry:reed', 'kv-entry:read@a@b', '']);
    expect(answer.expiresInSeconds).toBe(0);
  });
});
