import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { redactJwtLike, redactUrl } from '../logging/redact-url';

/**
 * The attributes that hold a URL or a part of one, under the names the instrumentations use (HTTP's older and stable
 * conventions, Fastify's, amqplib's broker URL, pg's connection string).
 */
const URL_ATTRIBUTES = new Set(['http.url', 'http.target', 'url.full', 'url.path', 'messaging.url', 'db.connection_string']);
const QUERY_ATTRIBUTE = 'url.query';
// The user and password of a URL: amqplib's own masking misses a password holding a ':'.
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/** An attribute's value as it may be exported: a URL without its credentials, any text without a JWT. */
export function redactAttribute(key: string, value: string): string {
  if (key === QUERY_ATTRIBUTE) return redactUrl(`?${value}`).slice(1);
  if (URL_ATTRIBUTES.has(key)) return redactUrl(value.replace(USERINFO, '$1'));
  return redactJwtLike(value);
}

function redactAll(attributes: Record<string, unknown>, set: (key: string, value: string) => void): void {
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value !== 'string') continue;
    const redacted = redactAttribute(key, value);
    if (redacted !== value) set(key, redacted);
  }
}

/**
 * Scrubs each span as it ends, while it can still be changed, before any exporter sees it: a token refused in a query
 * string, a broker URL's password, or a JWT quoted in an error's message is never exported. Headers and bodies are never
 * recorded in the first place (see tracing-sdk.ts); this is the net under what the instrumentations do record.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnding(span: Span): void {
    redactAll(span.attributes, (key, value) => span.setAttribute(key, value));
    for (const event of span.events) {
      const attributes = event.attributes;
      if (attributes) redactAll(attributes, (key, value) => (attributes[key] = value));
    }
    if (span.status.message !== undefined) {
      const message = redactJwtLike(span.status.message);
      if (message !== span.status.message) span.setStatus({ ...span.status, message });
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
