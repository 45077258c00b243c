import { isIP } from 'node:net';

/**
 * The client's address as the gateway records and limits it: Fastify's `ip` (the peer, or the client a
 * trusted proxy names in `X-Forwarded-For`) when it is an IP address. proxy-addr returns whatever text
 * such a header holds at that position, which a misconfigured proxy may pass on from the caller, so
 * anything else falls back to the peer itself.
 */
export function clientAddressOf(request: { ip?: string; socket?: { remoteAddress?: string } }): string {
  if (request.ip !== undefined && isIP(request.ip) !== 0) return request.ip;
  return request.socket?.remoteAddress ?? 'unknown';
}
