import { IsUUID } from 'class-validator';
import { MessageMeta, WithBody, WithQuery } from '../common/message-meta';
import { NamespaceInput, NamespaceListQuery } from './namespace.dto';
import type { NamespaceDescriptor, NamespaceDto, NamespacePage } from './namespace.dto';

/** Messages of the kv-entry service about namespaces: `kv-entry.namespace.<verb>.<command|query>`. */
export const NamespacePattern = {
  CREATE: 'kv-entry.namespace.create.command',
  GET: 'kv-entry.namespace.get.query',
  LIST: 'kv-entry.namespace.list.query',
  UPDATE: 'kv-entry.namespace.update.command',
  DELETE: 'kv-entry.namespace.delete.command',
  /** Internal: the descriptor the gateway routes entry calls by (reply: NamespaceDescriptor). */
  DESCRIBE: 'kv-entry.namespace.describe.query',
} as const;

export class NamespaceCreateRequest extends WithBody(MessageMeta, NamespaceInput) {}

export class NamespaceByIdRequest extends MessageMeta {
  @IsUUID() namespaceId!: string;
}

export class NamespaceUpdateRequest extends WithBody(NamespaceByIdRequest, NamespaceInput) {}

export class NamespaceListRequest extends WithQuery(MessageMeta, NamespaceListQuery) {}

/** Each namespace message of the kv-entry service: its request and its reply (the gateway's client is typed by it). */
export interface NamespaceRpc {
  [NamespacePattern.CREATE]: { request: NamespaceCreateRequest; reply: NamespaceDto };
  [NamespacePattern.GET]: { request: NamespaceByIdRequest; reply: NamespaceDto };
  [NamespacePattern.LIST]: { request: NamespaceListRequest; reply: NamespacePage };
  [NamespacePattern.UPDATE]: { request: NamespaceUpdateRequest; reply: NamespaceDto };
  [NamespacePattern.DELETE]: { request: NamespaceByIdRequest; reply: { deleted: true } };
  [NamespacePattern.DESCRIBE]: { request: NamespaceByIdRequest; reply: NamespaceDescriptor };
}
