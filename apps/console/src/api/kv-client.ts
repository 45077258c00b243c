import { KvClient } from '@kv-service/client';

/** The typed client for the gateway that served the page, with the session's token. */
export function kvClientFor(token: string): KvClient {
  // Two attempts: a screen shows "service unavailable" within a second or so rather than after the full backoff.
  return new KvClient({ baseUrl: window.location.origin, token, retry: { attempts: 2 } });
}
