/**
 * Values as their JSON type: the gateway sends BINARY as base64, which the client turns into bytes
 * (and back); every other type already arrives as its JSON type (NUMBER a number, JSON any JSON...).
 */
import type { EntryWire, ValueType } from './schemas';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A value as the client hands it out: bytes for BINARY, else its JSON value. */
export type KvValue = JsonValue | Uint8Array;

export type Entry = Omit<EntryWire, 'value'> & { value: KvValue };

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

export function decodeValue(valueType: ValueType, wire: unknown): KvValue {
  return valueType === 'BINARY' ? base64ToBytes(wire as string) : (wire as JsonValue);
}

export function encodeValue(value: KvValue): JsonValue {
  return value instanceof Uint8Array ? bytesToBase64(value) : value;
}

/**
 * A NUMBER value's text in decimal notation, as JSON writes a number: Number() alone would also take `0x10`,
 * `0b11`, `1e999` or padded text, and store another number than the one typed.
 */
const DECIMAL_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;

/** The number `text` writes in decimal notation, or null when it is not one (or not finite, as `1e999`). */
export function parseDecimalNumber(text: string): number | null {
  if (!DECIMAL_NUMBER.test(text)) return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

/** The type a value is stored as when the caller names none. */
export function inferValueType(value: KvValue): ValueType {
  if (value instanceof Uint8Array) return 'BINARY';
  switch (typeof value) {
    case 'string':
      return 'STRING';
    case 'number':
      return 'NUMBER';
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'JSON';
  }
}

export function decodeEntry(wire: EntryWire): Entry {
  return { ...wire, value: decodeValue(wire.valueType, wire.value) };
}
