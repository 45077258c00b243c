import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ErrorCode, KvException } from '@app/contracts';
import { isUniqueViolation } from '@app/service-kit';
import { answersByPosition, preparedStatement, queryPrepared, readsPerTurn } from '@app/service-kit/database';
import { DataSource, EntityManager } from 'typeorm';
import { NAMESPACE_COLUMNS, NamespaceEntity, NamespaceRow, namespaceFromRow } from './namespace.entity';
import type { NamespaceListScope } from './namespace-authorization';

const UNIQUE_NAME = 'namespace_application_id_name_key';

/**
 * Every entry write, list and describe authorizes against a namespace first; the lookups of a turn go
 * as one statement: the namespace of each id asked, if any, by position.
 */
export const FIND_MANY_BY_ID = preparedStatement(
  'kv_entry_namespaces_by_id',
  `SELECT r.position, ${NAMESPACE_COLUMNS.map((column) => `n.${column}`).join(', ')}
     FROM unnest($1::uuid[]) WITH ORDINALITY AS r(id, position)
     JOIN LATERAL (SELECT ${NAMESPACE_COLUMNS.join(', ')} FROM namespace WHERE id = r.id LIMIT 1) n ON true`,
);

export interface NamespaceFields {
  name: string;
  description: string | null;
  defaultTtlSeconds: number | null;
  maxSecretVersions: number | null;
}

export interface NewNamespace extends NamespaceFields {
  applicationId: string;
  isSecret: boolean;
}

function nameTaken(applicationId: string, name: string): KvException {
  return new KvException(ErrorCode.NAMESPACE_EXISTS, `a namespace named ${name} already exists in application ${applicationId}`);
}

/**
 * The `namespace` table. A duplicate name is detected by the unique constraint (never check-then-insert)
 * and surfaces as NAMESPACE_EXISTS.
 */
@Injectable()
export class NamespacesRepository {
  /** Lookups outside a transaction asked in the same turn share one statement (see `readsPerTurn`). */
  private readonly lookupsPerTurn = readsPerTurn((ids: readonly string[]) => this.findManyById(ids));

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The namespace, or null; batched with the turn's other lookups. */
  findById(id: string): Promise<NamespaceEntity | null> {
    return this.lookupsPerTurn(id);
  }

  /** The namespace, its row locked in the caller's transaction (on the caller's connection, not the pool's). */
  async lockById(id: string, manager: EntityManager): Promise<NamespaceEntity | null> {
    const rows: NamespaceRow[] = await manager.query(`SELECT ${NAMESPACE_COLUMNS.join(', ')} FROM namespace WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return rows.length === 0 ? null : namespaceFromRow(rows[0]!);
  }

  private async findManyById(ids: readonly string[]): Promise<Array<NamespaceEntity | null>> {
    const rows = await queryPrepared<NamespaceRow & { position: string }>(this.dataSource, FIND_MANY_BY_ID, [ids]);
    return answersByPosition(
      ids.length,
      rows,
      (): NamespaceEntity | null => null,
      (row) => namespaceFromRow(row),
    );
  }

  async insert(namespace: NewNamespace, manager: EntityManager = this.dataSource.manager): Promise<NamespaceEntity> {
    try {
      const rows: NamespaceRow[] = await manager.query(
        `INSERT INTO namespace (application_id, name, description, is_secret, default_ttl_seconds, max_secret_versions)
         VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING *`,
        [
          namespace.applicationId,
          namespace.name,
          namespace.description,
          namespace.isSecret,
          namespace.defaultTtlSeconds,
          namespace.maxSecretVersions,
        ],
      );
      return namespaceFromRow(rows[0]!);
    } catch (error) {
      if (isUniqueViolation(error, UNIQUE_NAME)) throw nameTaken(namespace.applicationId, namespace.name);
      throw error;
    }
  }

  /** Replaces the mutable fields; `null` when the namespace no longer exists. */
  async update(
    applicationId: string,
    id: string,
    fields: NamespaceFields,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NamespaceEntity | null> {
    try {
      const rows: NamespaceRow[] = await manager.query(
        `WITH updated AS (
           UPDATE namespace
              SET name = $3, description = $4, default_ttl_seconds = $5, max_secret_versions = $6, updated_at = now()
            WHERE application_id = $1 AND id = $2
           RETURNING *)
         SELECT * FROM updated`,
        [applicationId, id, fields.name, fields.description, fields.defaultTtlSeconds, fields.maxSecretVersions],
      );
      return rows.length === 0 ? null : namespaceFromRow(rows[0]!);
    } catch (error) {
      if (isUniqueViolation(error, UNIQUE_NAME)) throw nameTaken(applicationId, fields.name);
      throw error;
    }
  }

  /** Deletes the namespace and, by the foreign key's cascade, its entries. */
  async delete(applicationId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'WITH deleted AS (DELETE FROM namespace WHERE application_id = $1 AND id = $2 RETURNING id) SELECT id FROM deleted',
      [applicationId, id],
    );
    return rows.length > 0;
  }

  /**
   * One keyset page in (application_id, name) order, after `after` when given. The caller asks for
   * one row more than it shows to learn whether a next page exists.
   */
  async list(
    scope: NamespaceListScope,
    after: readonly [applicationId: string, name: string] | null,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NamespaceEntity[]> {
    // Only placeholders are assembled here; every value goes in as a parameter.
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const parameter = (value: unknown): string => `$${parameters.push(value)}`;
    if (scope.applicationIds !== null) conditions.push(`application_id = ANY(${parameter(scope.applicationIds)}::text[])`);
    if (scope.namespaceIds !== null) conditions.push(`id = ANY(${parameter(scope.namespaceIds)}::uuid[])`);
    if (after !== null) conditions.push(`(application_id, name) > (${parameter(after[0])}, ${parameter(after[1])})`);
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const rows: NamespaceRow[] = await manager.query(
      `SELECT * FROM namespace ${where} ORDER BY application_id, name LIMIT ${parameter(limit)}`,
      parameters,
    );
    return rows.map(namespaceFromRow);
  }
}
