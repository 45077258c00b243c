/** Parsers of option and argument values: commander reports their InvalidArgumentError as a usage error. */
import { InvalidArgumentError } from 'commander';

export function positiveInteger(text: string): number {
  const number = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(number) || number < 1)
    throw new InvalidArgumentError('must be a whole number of at least 1');
  return number;
}

export function nonNegativeInteger(text: string): number {
  return text === '0' ? 0 : positiveInteger(text);
}

export function jsonObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InvalidArgumentError('must be a JSON object');
}

export function isoInstant(text: string): string {
  if (Number.isNaN(Date.parse(text))) throw new InvalidArgumentError('must be an ISO-8601 instant, e.g. 2024-05-01T00:00:00Z');
  return text;
}
