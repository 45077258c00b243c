/**
 * Generated from the gateway's OpenAPI document by `npm run generate:client-types`: do not edit.
 * A unit spec (scripts/openapi/client-types.spec.ts) fails when this file is stale.
 */
export interface paths {
    "/api/v1/kv/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's principal, its grants, applications and token expiry (never the token)
         * @description Needs a valid token and no permission. `granted` says what the grants give by the rules every route applies, so that a client offers only what the token allows; each route still checks.
         */
        get: operations["WhoamiController_whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/namespaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the namespaces of the applications the caller may access
         * @description Needs `kv-namespace:read` in at least one namespace; lists only namespaces the token's `apps` and grants reach, by application and name, keyset-paginated (`nextCursor`).
         */
        get: operations["NamespacesController_list"];
        put?: never;
        /**
         * Create a namespace in an application the caller may access
         * @description Needs `kv-namespace:write` and the application in the token's `apps`. Names are unique within an application (409 `NAMESPACE_EXISTS`); `isSecretNamespace` cannot change later.
         */
        post: operations["NamespacesController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/namespaces/{nsId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a namespace
         * @description Needs `kv-namespace:read`. A namespace of an application outside the token's `apps` answers 404, like one that does not exist.
         */
        get: operations["NamespacesController_get"];
        /**
         * Replace a namespace's name, description, default TTL and version cap (its kind and application cannot change)
         * @description Needs `kv-namespace:write`. The body replaces every field it names; `isSecretNamespace` and `applicationId` must stay as they are.
         */
        put: operations["NamespacesController_update"];
        post?: never;
        /**
         * Delete a namespace and its entries (of a secret namespace: its secrets and all their versions)
         * @description Needs `kv-namespace:delete`. Answers 204; every entry ends with a `kv.entry.deleted` event.
         */
        delete: operations["NamespacesController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/{nsId}/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List entries, in key order, optionally under a prefix; with `values=false` keys only, and by level with `delimiter`
         * @description Needs `kv-namespace:read` and `kv-entry:read`. Values are included; in a secret namespace each secret listed is audited as a read. With `values=false` (served by a route of its own): an `EntryKeyPage`, keys with their state but no value, and with `delimiter=/` the next level's `folders`; it needs only `kv-namespace:read`, decrypts nothing, and is one `LIST` audit record for the call. A cursor continues only a listing of its own form (values or not, `delimiter` or not) and prefix: another is 400 `INVALID_CURSOR`.
         */
        get: operations["EntriesController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/{nsId}/entries/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an entry; its version is also the ETag
         * @description Needs `kv-entry:read`. The key is the rest of the path, percent-decoded once; `If-None-Match` with the current ETag answers 304.
         */
        get: operations["EntriesController_get"];
        /**
         * Create or replace an entry (201 when created, 200 when replaced); in a secret namespace, as a new version
         * @description Needs `kv-entry:write`. The body is JSON only; `expectedVersion` (or `If-Match`) makes the write conditional (409 `VERSION_CONFLICT`).
         */
        put: operations["EntriesController_put"];
        post?: never;
        /**
         * Delete an entry
         * @description Needs `kv-entry:delete`. Answers 204, or 404 `ENTRY_NOT_FOUND` when there is none; in a secret namespace its versions go too.
         */
        delete: operations["EntriesController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/{nsId}/entries/{key}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a secret's versions, newest first: who made each and why, never their values
         * @description Needs `kv-entry:read`, in a secret namespace (else 400 `NOT_A_SECRET_NAMESPACE`).
         */
        get: operations["SecretEntriesController_versions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/{nsId}/entries/{key}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a secret: its new value (given, or generated and returned in this response) becomes a new version
         * @description Needs `kv-secret:rotate`. Without `value`, a random STRING of `length` characters from `alphabet` is generated; `reason` is kept with the version.
         */
        post: operations["SecretEntriesController_rotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/{nsId}/entries/{key}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Roll a secret back: an old version's value becomes current again, as a new version
         * @description Needs `kv-secret:rotate`. The old version must still be kept (404 `VERSION_NOT_FOUND` once pruned by the namespace's version cap).
         */
        post: operations["SecretEntriesController_rollback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/{nsId}/bulk/get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get up to 1000 entries; absent keys are listed in `missing`
         * @description Needs `kv-entry:read`. At most 1000 keys, each a valid key path, none twice.
         */
        post: operations["BulkController_get"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/{nsId}/bulk/set": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create or replace up to 1000 entries, all or none
         * @description Needs `kv-entry:write`. Every entry is checked before any is written; one bad entry refuses the whole call.
         */
        post: operations["BulkController_set"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/{nsId}/bulk/delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delete up to 1000 entries; absent keys are listed in `missing`
         * @description Needs `kv-entry:delete`. Keys that do not exist (or have expired) are reported in `missing`, not refused.
         */
        post: operations["BulkController_remove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/{nsId}/watch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow a namespace's changes as Server-Sent Events, from a read's revision on
         * @description Needs `kv-namespace:read` and `kv-entry:read`, as listing does. Every change after the starting revision comes, in the order it became visible; one a read already showed may come again: recognise it by (event, `keyPath`, `version`). A point older than the retained change log answers 410 `REVISION_COMPACTED`: read again and watch from that read. `expired` comes when the sweep removes the entry, up to its interval after the entry stopped being readable. Watches per principal and per gateway are limited (429 `WATCH_LIMIT_REACHED`).
         */
        get: operations["WatchController_watch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List audit records, newest first, filtered by namespace, key, action, user, outcome and time
         * @description Needs `kv-audit:read` (scoped to a namespace, it counts with `?namespaceId=` of that namespace). Records never hold values; `keyPath` is exact, `from` inclusive and `to` exclusive.
         */
        get: operations["AuditController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kv/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify the audit trail's hash chain: whether any record was changed, removed or inserted
         * @description Needs `kv-audit:read` on every namespace. Walks the chain from its checkpoint and says where the first broken link is, if any.
         */
        get: operations["AuditController_verify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        GrantedPermissionDto: {
            /**
             * @example kv-entry:read
             * @enum {string}
             */
            permission: "kv-namespace:read" | "kv-namespace:write" | "kv-namespace:delete" | "kv-entry:read" | "kv-entry:write" | "kv-entry:delete" | "kv-secret:rotate" | "kv-secret:versions" | "kv-audit:read";
            /** @description Granted in every namespace (of the token's applications) */
            allNamespaces: boolean;
            /** @description Without `allNamespaces`: the namespaces its scoped grants name */
            namespaceIds: string[];
        };
        WhoamiDto: {
            /**
             * @description The token's `sub`: the principal every change and audit record names
             * @example ops
             */
            userId: string;
            /**
             * @description The token's grants as it states them
             * @example [
             *       "kv-namespace:read",
             *       "kv-entry:*@3f0c…"
             *     ]
             */
            permissions: string[];
            /** @description Each permission those grants give, and where; a permission absent here is not granted (an unknown grant grants nothing) */
            granted: components["schemas"]["GrantedPermissionDto"][];
            /**
             * @description The token's applications; `["*"]` for all
             * @example [
             *       "billing"
             *     ]
             */
            applications: string[];
            /**
             * Format: date-time
             * @description When the token expires (its `exp`)
             */
            expiresAt: string;
            /** @description Whole seconds from now until then */
            expiresInSeconds: number;
        };
        ErrorResponseDto: {
            /** @example 404 */
            statusCode: number;
            /**
             * @description HTTP reason phrase
             * @example Not Found
             */
            error: string;
            /**
             * @description Safe to show; never quotes a value or a token
             * @example namespace not found
             */
            message: string;
            /**
             * @description Stable machine-readable code
             * @example NAMESPACE_NOT_FOUND
             * @enum {string}
             */
            code: "VALIDATION_FAILED" | "INVALID_KEY" | "INVALID_VALUE" | "INVALID_TEXT" | "INVALID_CURSOR" | "VALUE_TOO_LARGE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "HEADERS_TOO_LARGE" | "TOO_MANY_KEYS" | "DUPLICATE_KEY" | "NAMESPACE_NOT_FOUND" | "NAMESPACE_EXISTS" | "NAMESPACE_KIND_IMMUTABLE" | "APPLICATION_IMMUTABLE" | "SECRET_NAMESPACE_UNSUPPORTED" | "NOT_A_SECRET_NAMESPACE" | "ENTRY_NOT_FOUND" | "VERSION_CONFLICT" | "VERSION_NOT_FOUND" | "INVALID_IDEMPOTENCY_KEY" | "IDEMPOTENCY_KEY_REUSED" | "IDEMPOTENCY_KEY_IN_PROGRESS" | "INVALID_REVISION" | "REVISION_COMPACTED" | "WATCH_LIMIT_REACHED" | "DECRYPTION_FAILED" | "MASTER_KEY_UNAVAILABLE" | "ROUTE_NOT_FOUND" | "UNAUTHENTICATED" | "FORBIDDEN" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "SERVICE_TIMEOUT" | "INTERNAL_ERROR";
        };
        NamespaceDto: {
            /** Format: uuid */
            id: string;
            name: string;
            description: string | null;
            applicationId: string;
            isSecretNamespace: boolean;
            defaultTtlSeconds: number | null;
            maxSecretVersions: number | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        NamespacePage: {
            items: components["schemas"]["NamespaceDto"][];
            nextCursor: string | null;
        };
        NamespaceInput: {
            /**
             * @description Unique within the application
             * @example billing-config
             */
            name: string;
            description?: string;
            /** @example billing */
            applicationId: string;
            /**
             * @description Entries are encrypted and versioned; cannot change after creation
             * @default false
             */
            isSecretNamespace: boolean;
            /** @description TTL of entries written without `ttlSeconds` */
            defaultTtlSeconds?: number;
            /** @description Secret namespaces: keep at most this many versions of an entry, pruning the oldest; default all */
            maxSecretVersions?: number;
        };
        EntryDto: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            namespaceId: string;
            /** @example config/database/host */
            keyPath: string;
            /** @description The value, as the JSON type its `valueType` implies (a NUMBER as a number, BINARY as base64, DATE as YYYY-MM-DD...) */
            value: string | number | boolean | {
                [key: string]: unknown;
            } | unknown[];
            /** @enum {string} */
            valueType: "STRING" | "JSON" | "NUMBER" | "BOOLEAN" | "BINARY" | "DATETIME" | "DATE" | "DURATION";
            version: number;
            metadata: {
                [key: string]: unknown;
            } | null;
            /** Format: date-time */
            expiresAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        EntryPage: {
            items: components["schemas"]["EntryDto"][];
            nextCursor: string | null;
        };
        EntryKeyDto: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            namespaceId: string;
            /** @example config/database/host */
            keyPath: string;
            /** @enum {string} */
            valueType: "STRING" | "JSON" | "NUMBER" | "BOOLEAN" | "BINARY" | "DATETIME" | "DATE" | "DURATION";
            version: number;
            metadata: {
                [key: string]: unknown;
            } | null;
            /** Format: date-time */
            expiresAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        EntryKeyPage: {
            /** @description The keys of this level (all keys under the prefix without a delimiter), no values, in key order (UTF-8 byte order) */
            items: components["schemas"]["EntryKeyDto"][];
            nextCursor: string | null;
            /**
             * @description With `delimiter`: the next level's folders under the prefix, each ending with the delimiter, in key order; else empty. The page in order is `items` and `folders` merged by UTF-8 byte order of the key paths (a folder where its first key would be), not by JavaScript's default string order, which differs beyond U+FFFF
             * @example [
             *       "config/database/"
             *     ]
             */
            folders: string[];
        };
        EntryPutBody: {
            /**
             * @description The value, as the JSON type its `valueType` implies (a NUMBER as a number, BINARY as base64, DATE as YYYY-MM-DD...)
             * @example db.internal
             */
            value: string | number | boolean | {
                [key: string]: unknown;
            } | unknown[];
            /**
             * @example STRING
             * @enum {string}
             */
            valueType: "STRING" | "JSON" | "NUMBER" | "BOOLEAN" | "BINARY" | "DATETIME" | "DATE" | "DURATION";
            /** @description Expire after this many seconds; else the namespace default */
            ttlSeconds?: number;
            /** @description Free-form JSON object, at most 16384 bytes */
            metadata?: {
                [key: string]: unknown;
            };
            /** @description Write only if the current version is this one (0: only if absent); else 409 VERSION_CONFLICT */
            expectedVersion?: number;
        };
        SecretVersionDto: {
            version: number;
            /** @enum {string} */
            valueType: "STRING" | "JSON" | "NUMBER" | "BOOLEAN" | "BINARY" | "DATETIME" | "DATE" | "DURATION";
            /** @enum {string} */
            change: "CREATE" | "UPDATE" | "ROTATION" | "ROLLBACK";
            reason: string | null;
            /** @description For a rollback: the version it restored */
            restoredFrom: number | null;
            /** @description Principal id that made the change */
            actorId: string;
            /** Format: date-time */
            createdAt: string;
        };
        SecretVersionPage: {
            /** @description Newest first; never values */
            items: components["schemas"]["SecretVersionDto"][];
            nextCursor: string | null;
        };
        SecretRotateBody: {
            /** @description The new value; when absent a strong random STRING is generated and returned once */
            value?: string | number | boolean | {
                [key: string]: unknown;
            } | unknown[];
            /**
             * @description Type of `value`; default: the entry's current type (generated values are STRING)
             * @enum {string}
             */
            valueType?: "STRING" | "JSON" | "NUMBER" | "BOOLEAN" | "BINARY" | "DATETIME" | "DATE" | "DURATION";
            /**
             * @description Length of a generated value
             * @default 32
             */
            length: number;
            /**
             * @description Alphabet of a generated value
             * @default alphanumeric
             * @enum {string}
             */
            alphabet: "alphanumeric" | "ascii-printable" | "hex" | "base64url";
            /** @description Why, kept with the version */
            reason?: string;
        };
        SecretRollbackBody: {
            /** @description The version whose value becomes current again (as a new version) */
            version: number;
            reason?: string;
        };
        BulkKeysBody: {
            keys: string[];
        };
        BulkGetResult: {
            items: components["schemas"]["EntryDto"][];
            /** @description Requested keys that do not exist or have expired */
            missing: string[];
        };
        BulkSetItem: {
            /**
             * @description The value, as the JSON type its `valueType` implies (a NUMBER as a number, BINARY as base64, DATE as YYYY-MM-DD...)
             * @example db.internal
             */
            value: string | number | boolean | {
                [key: string]: unknown;
            } | unknown[];
            /**
             * @example STRING
             * @enum {string}
             */
            valueType: "STRING" | "JSON" | "NUMBER" | "BOOLEAN" | "BINARY" | "DATETIME" | "DATE" | "DURATION";
            /** @description Expire after this many seconds; else the namespace default */
            ttlSeconds?: number;
            /** @description Free-form JSON object, at most 16384 bytes */
            metadata?: {
                [key: string]: unknown;
            };
            /** @example config/database/host */
            key: string;
        };
        BulkSetBody: {
            entries: components["schemas"]["BulkSetItem"][];
        };
        BulkSetResult: {
            items: components["schemas"]["EntryDto"][];
        };
        BulkDeleteResult: {
            deleted: string[];
            missing: string[];
        };
        AuditRecordDto: {
            /** Format: uuid */
            id: string;
            /** @description Position in the hash chain */
            sequence: string;
            /** Format: date-time */
            occurredAt: string;
            /** @enum {string} */
            action: "READ" | "LIST" | "WRITE" | "DELETE" | "EXPIRE" | "ROTATE" | "ROLLBACK" | "NAMESPACE_READ" | "NAMESPACE_CREATE" | "NAMESPACE_UPDATE" | "NAMESPACE_DELETE" | "AUDIT_READ" | "WATCH" | "WATCH_END" | "WHOAMI" | "REQUEST" | "AUDIT_REANCHOR";
            success: boolean;
            userId: string;
            applicationId: string | null;
            namespaceId: string | null;
            entryId: string | null;
            keyPath: string | null;
            requestId: string | null;
            clientAddress: string | null;
            errorCode: string | null;
            /** @description The event this record came from, for changes */
            eventType: string | null;
            /** @description sha256 over the previous hash and this record */
            hash: string;
        };
        AuditPage: {
            /** @description Newest first */
            items: components["schemas"]["AuditRecordDto"][];
            nextCursor: string | null;
        };
        AuditVerifyResult: {
            /** @description True when every link of the chain checks */
            ok: boolean;
            /** @description Records checked */
            checked: number;
            /** @description Sequence of the first record whose link is broken */
            firstBrokenSequence: string | null;
            reason: string | null;
            /** @description Sequences of records that checked only through an operator's re-anchoring (their stored text differs from what was hashed; docs/operations.md) */
            reanchored: string[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    WhoamiController_whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WhoamiDto"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    NamespacesController_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor` */
                cursor?: string;
                /** @description Only namespaces of this application */
                applicationId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NamespacePage"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_CURSOR */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    NamespacesController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request answers the first outcome again (`Idempotent-Replayed: true`), without applying it twice; kept 24 h by default. A quoted string or a bare token, at most 255 characters, scoped to the caller. Another request with the same key is 422 IDEMPOTENCY_KEY_REUSED; while the first is being applied, 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NamespaceInput"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NamespaceDto"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Conflict: NAMESPACE_EXISTS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    NamespacesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Namespace id */
                nsId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NamespaceDto"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    NamespacesController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request answers the first outcome again (`Idempotent-Replayed: true`), without applying it twice; kept 24 h by default. A quoted string or a bare token, at most 255 characters, scoped to the caller. Another request with the same key is 422 IDEMPOTENCY_KEY_REUSED; while the first is being applied, 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Namespace id */
                nsId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NamespaceInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NamespaceDto"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, NAMESPACE_KIND_IMMUTABLE, APPLICATION_IMMUTABLE */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Conflict: NAMESPACE_EXISTS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    NamespacesController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request answers the first outcome again (`Idempotent-Replayed: true`), without applying it twice; kept 24 h by default. A quoted string or a bare token, at most 255 characters, scoped to the caller. Another request with the same key is 422 IDEMPOTENCY_KEY_REUSED; while the first is being applied, 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Namespace id */
                nsId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    EntriesController_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor` */
                cursor?: string;
                /** @description Only keys that start with this string */
                prefix?: string;
                /** @description `false`: keys only, each with its type, version, expiry, metadata and times but no value; needs only `kv-namespace:read`, reads (decrypts) no secret, and is one `LIST` audit record for the call */
                values?: "true" | "false";
                /** @description With `values=false` only: group the keys below the next `/` after the prefix into `folders` (like S3 common prefixes), each one item of the page however many keys it holds */
                delimiter?: "/";
            };
            header?: never;
            path: {
                /** @description Namespace id */
                nsId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `EntryPage` with values (the default), `EntryKeyPage` with `values=false` */
            200: {
                headers: {
                    /** @description The revision this read reflects: `GET /{nsId}/watch?since=` it to be told every later change (an opaque cursor: a number for a plain namespace, two joined by a dot for a secret one) */
                    "X-KV-Revision"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryPage"] | components["schemas"]["EntryKeyPage"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_CURSOR */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR, DECRYPTION_FAILED */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT, MASTER_KEY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    EntriesController_get: {
        parameters: {
            query?: {
                /** @description Secret namespaces only: read this old version instead of the current one (no ETag). Needs `kv-secret:versions` instead of `kv-entry:read` */
                version?: number;
            };
            header?: {
                /** @description The ETag the caller holds, e.g. "3": 304 Not Modified, without a body, while it is current */
                "If-None-Match"?: string;
                /** @description Plain namespaces: `max-age=N` accepts a copy the gateway read at most N seconds ago and kept. It is evicted when an event says the entry changed: a write through another gateway replica usually shows within milliseconds, at most N seconds later should its event be held up. Without it, the stored entry is read */
                "Cache-Control"?: string;
            };
            path: {
                /** @description Namespace id */
                nsId: string;
                /** @description Key path, the rest of the URL (e.g. `config/database/host`); percent-decoded once, so `%2F` is a "/" and `%25` a "%" */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description The revision this read reflects: `GET /{nsId}/watch?since=` it to be told every later change (an opaque cursor: a number for a plain namespace, two joined by a dot for a secret one) */
                    "X-KV-Revision"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryDto"];
                };
            };
            /** @description The entry is still the version `If-None-Match` names */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_KEY, NOT_A_SECRET_NAMESPACE */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND, ENTRY_NOT_FOUND, VERSION_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR, DECRYPTION_FAILED */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT, MASTER_KEY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    EntriesController_put: {
        parameters: {
            query?: never;
            header?: {
                /** @description Expected current version, e.g. "3"; same as body `expectedVersion` */
                "If-Match"?: string;
                /** @description Makes a retry safe: the same key with the same request answers the first outcome again (`Idempotent-Replayed: true`), without applying it twice; kept 24 h by default. A quoted string or a bare token, at most 255 characters, scoped to the caller. Another request with the same key is 422 IDEMPOTENCY_KEY_REUSED; while the first is being applied, 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Namespace id */
                nsId: string;
                /** @description Key path, the rest of the URL (e.g. `config/database/host`); percent-decoded once, so `%2F` is a "/" and `%25` a "%" */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EntryPutBody"];
            };
        };
        responses: {
            /** @description Replaced */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryDto"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryDto"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_KEY, INVALID_VALUE */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Conflict: VERSION_CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Payload Too Large: VALUE_TOO_LARGE, PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR, DECRYPTION_FAILED */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT, MASTER_KEY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    EntriesController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request answers the first outcome again (`Idempotent-Replayed: true`), without applying it twice; kept 24 h by default. A quoted string or a bare token, at most 255 characters, scoped to the caller. Another request with the same key is 422 IDEMPOTENCY_KEY_REUSED; while the first is being applied, 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Namespace id */
                nsId: string;
                /** @description Key path, the rest of the URL (e.g. `config/database/host`); percent-decoded once, so `%2F` is a "/" and `%25` a "%" */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_KEY */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND, ENTRY_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR, DECRYPTION_FAILED */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT, MASTER_KEY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    SecretEntriesController_versions: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor` */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description Namespace id */
                nsId: string;
                /** @description Key path, the rest of the URL (e.g. `config/database/host`); percent-decoded once, so `%2F` is a "/" and `%25` a "%" */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretVersionPage"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_KEY, INVALID_CURSOR, NOT_A_SECRET_NAMESPACE */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND, ENTRY_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR, DECRYPTION_FAILED */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT, MASTER_KEY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    SecretEntriesController_rotate: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request answers the first outcome again (`Idempotent-Replayed: true`), without applying it twice; kept 24 h by default. A quoted string or a bare token, at most 255 characters, scoped to the caller. Another request with the same key is 422 IDEMPOTENCY_KEY_REUSED; while the first is being applied, 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Namespace id */
                nsId: string;
                /** @description Key path, the rest of the URL (e.g. `config/database/host`); percent-decoded once, so `%2F` is a "/" and `%25` a "%" */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SecretRotateBody"];
            };
        };
        responses: {
            /** @description The new current version; its version is also the ETag */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryDto"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_KEY, INVALID_VALUE, NOT_A_SECRET_NAMESPACE */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND, ENTRY_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Payload Too Large: VALUE_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR, DECRYPTION_FAILED */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT, MASTER_KEY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    SecretEntriesController_rollback: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request answers the first outcome again (`Idempotent-Replayed: true`), without applying it twice; kept 24 h by default. A quoted string or a bare token, at most 255 characters, scoped to the caller. Another request with the same key is 422 IDEMPOTENCY_KEY_REUSED; while the first is being applied, 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Namespace id */
                nsId: string;
                /** @description Key path, the rest of the URL (e.g. `config/database/host`); percent-decoded once, so `%2F` is a "/" and `%25` a "%" */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SecretRollbackBody"];
            };
        };
        responses: {
            /** @description The new current version; its version is also the ETag */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryDto"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_KEY, NOT_A_SECRET_NAMESPACE */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND, ENTRY_NOT_FOUND, VERSION_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR, DECRYPTION_FAILED */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT, MASTER_KEY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    BulkController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Namespace id */
                nsId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkKeysBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description The revision this read reflects: `GET /{nsId}/watch?since=` it to be told every later change (an opaque cursor: a number for a plain namespace, two joined by a dot for a secret one) */
                    "X-KV-Revision"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkGetResult"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_KEY, TOO_MANY_KEYS */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR, DECRYPTION_FAILED */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT, MASTER_KEY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    BulkController_set: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request answers the first outcome again (`Idempotent-Replayed: true`), without applying it twice; kept 24 h by default. A quoted string or a bare token, at most 255 characters, scoped to the caller. Another request with the same key is 422 IDEMPOTENCY_KEY_REUSED; while the first is being applied, 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Namespace id */
                nsId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkSetBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkSetResult"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_KEY, INVALID_VALUE, TOO_MANY_KEYS, DUPLICATE_KEY */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Payload Too Large: VALUE_TOO_LARGE, PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR, DECRYPTION_FAILED */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT, MASTER_KEY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    BulkController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request answers the first outcome again (`Idempotent-Replayed: true`), without applying it twice; kept 24 h by default. A quoted string or a bare token, at most 255 characters, scoped to the caller. Another request with the same key is 422 IDEMPOTENCY_KEY_REUSED; while the first is being applied, 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Namespace id */
                nsId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkKeysBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkDeleteResult"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_KEY, TOO_MANY_KEYS */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR, DECRYPTION_FAILED */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT, MASTER_KEY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    WatchController_watch: {
        parameters: {
            query?: {
                /** @description Only entries whose key starts with this (namespace changes always come) */
                prefix?: string;
                /** @description Resume after this revision: a read's `X-KV-Revision`, or an event's `id` (`Last-Event-ID` wins over it). Without either, from now on */
                since?: string;
            };
            header?: {
                /** @description The `id` of the last event received: resume after it */
                "Last-Event-ID"?: string;
            };
            path: {
                /** @description Namespace id */
                nsId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /**
             * @description Server-Sent Events, one per change: `id` is the cursor to resume from, `event` the change
             *     (`created`, `updated`, `deleted`, `expired`, `rotated`, `rolled_back`, `namespace_updated`, `namespace_deleted`),
             *     `data` one JSON object: the `kv.events` envelope (`keyPath`, `version`, `occurredAt`, `actor`, ...) and `revision`,
             *     never a value. A comment every 15 s keeps proxies from timing out. The gateway ends a stream with `event: end`, data
             *     `{"reason", "revision"}`: `TOKEN_EXPIRED`, `NAMESPACE_DELETED` (after its event), `SLOW_CONSUMER` and `SHUTDOWN`
             *     (resume from the last id), `REVISION_COMPACTED` (read again).
             */
            200: {
                headers: {
                    /** @description The revision this read reflects: `GET /{nsId}/watch?since=` it to be told every later change (an opaque cursor: a number for a plain namespace, two joined by a dot for a secret one) */
                    "X-KV-Revision"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_KEY, INVALID_REVISION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not Found: NAMESPACE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Gone: REVISION_COMPACTED */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED, WATCH_LIMIT_REACHED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR, DECRYPTION_FAILED */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT, MASTER_KEY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    AuditController_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Opaque cursor from the previous page's `nextCursor` */
                cursor?: string;
                namespaceId?: string;
                keyPath?: string;
                action?: "READ" | "LIST" | "WRITE" | "DELETE" | "EXPIRE" | "ROTATE" | "ROLLBACK" | "NAMESPACE_READ" | "NAMESPACE_CREATE" | "NAMESPACE_UPDATE" | "NAMESPACE_DELETE" | "AUDIT_READ" | "WATCH" | "WATCH_END" | "WHOAMI" | "REQUEST" | "AUDIT_REANCHOR";
                userId?: string;
                success?: boolean;
                /** @description From this instant (inclusive) */
                from?: string;
                /** @description Before this instant (exclusive) */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED, INVALID_CURSOR */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    AuditController_verify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerifyResult"];
                };
            };
            /** @description Bad Request: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Unauthorized: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Forbidden: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Too Many Requests: RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Internal Server Error: INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Service Unavailable: SERVICE_UNAVAILABLE, SERVICE_TIMEOUT */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
}
