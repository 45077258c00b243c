import { Injectable, Param, PipeTransform } from '@nestjs/common';
import { ErrorCode, KvException } from '@app/contracts';
import { isUUID } from 'class-validator';

/**
 * A namespace id as the services write it: UUIDs are case-insensitive, so `3F0C…` and `3f0c…` are one
 * namespace, and everything keyed by the id (grants, the gateway's caches, events, audit records) must
 * see one spelling: lower case, as Postgres prints it.
 */
export function canonicalNamespaceId(value: string): string {
  return value.toLowerCase();
}

/** A namespace id that is not a UUID names no namespace: 404 at once, without asking the service. */
@Injectable()
export class NamespaceIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !isUUID(value)) throw new KvException(ErrorCode.NAMESPACE_NOT_FOUND, 'namespace not found');
    return canonicalNamespaceId(value);
  }
}

/** The route's `:nsId`, through NamespaceIdPipe. */
export const NamespaceId = () => Param('nsId', NamespaceIdPipe);
