/** Names for the generated OpenAPI schemas the client speaks in. */
import type { components, operations } from './generated/openapi';

type Schemas = components['schemas'];

export type ValueType = Schemas['EntryDto']['valueType'];
export type ErrorCode = Schemas['ErrorResponseDto']['code'];
export type ErrorResponse = Schemas['ErrorResponseDto'];

export type Namespace = Schemas['NamespaceDto'];
export type NamespaceInput = Schemas['NamespaceInput'];
export type NamespacePage = Schemas['NamespacePage'];
export type NamespaceListQuery = NonNullable<operations['NamespacesController_list']['parameters']['query']>;

/** An entry as the gateway sends it: `value` is the JSON the wire carries (BINARY as base64). */
export type EntryWire = Schemas['EntryDto'];
type EntriesListRouteQuery = NonNullable<operations['EntriesController_list']['parameters']['query']>;
/** A listing with values: `values` and `delimiter` belong to the keys-only form (`listEntryKeys`). */
export type EntryListQuery = Omit<EntriesListRouteQuery, 'values' | 'delimiter'>;
/** A keys-only listing; `delimiter: '/'` lists one level, its folders and keys. */
export type EntryKeyListQuery = Omit<EntriesListRouteQuery, 'values'>;
/** An entry as a keys-only listing answers it: its state, no value. */
export type EntryKey = Schemas['EntryKeyDto'];

export type Whoami = Schemas['WhoamiDto'];
export type GrantedPermission = Schemas['GrantedPermissionDto'];

export type SecretVersion = Schemas['SecretVersionDto'];
export type SecretVersionPage = Schemas['SecretVersionPage'];
export type SecretVersionQuery = NonNullable<operations['SecretEntriesController_versions']['parameters']['query']>;
export type SecretAlphabet = NonNullable<Schemas['SecretRotateBody']['alphabet']>;

export type BulkDeleteResult = Schemas['BulkDeleteResult'];

export type AuditRecord = Schemas['AuditRecordDto'];
export type AuditPage = Schemas['AuditPage'];
export type AuditQuery = NonNullable<operations['AuditController_list']['parameters']['query']>;
export type AuditAction = NonNullable<AuditQuery['action']>;
export type AuditVerifyResult = Schemas['AuditVerifyResult'];
