import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Limits } from '../common/limits';
import { ErrorCode } from '../errors/error-codes';
import { IsWellFormedText } from '../text/text-rule';
import { MessageMeta, WithQuery } from '../common/message-meta';
import { PageOf, PageQuery } from '../common/page.dto';
import { AUDIT_ACTIONS, AuditAction, AuditRecordDto } from './audit-record';

/** Queries of the audit service: `audit.<noun>.<verb>.query`. */
export const AuditPattern = {
  LIST: 'audit.record.list.query',
  VERIFY: 'audit.chain.verify.query',
} as const;

export class AuditQuery extends PageQuery {
  /** Lower-cased, as the services write namespace ids: a grant scoped to a namespace names that spelling. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsUUID()
  namespaceId?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(Limits.MAX_KEY_BYTES)
  @IsWellFormedText(ErrorCode.INVALID_KEY)
  keyPath?: string;
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS }) @IsOptional() @IsIn(AUDIT_ACTIONS) action?: AuditAction;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(Limits.MAX_PRINCIPAL_ID_LENGTH) @IsWellFormedText() userId?: string;
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  success?: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'From this instant (inclusive)' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Before this instant (exclusive)' }) @IsOptional() @IsISO8601() to?: string;
}

export class AuditPage extends PageOf(AuditRecordDto, 'Newest first') {}

export class AuditVerifyResult {
  @ApiProperty({ description: 'True when every link of the chain checks' }) ok!: boolean;
  @ApiProperty({ description: 'Records checked' }) checked!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Sequence of the first record whose link is broken' }) firstBrokenSequence!:
    string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({
    type: [String],
    description:
      "Sequences of records that checked only through an operator's re-anchoring (their stored text differs from what was hashed; docs/operations.md)",
  })
  reanchored!: string[];
}

export class AuditListRequest extends WithQuery(MessageMeta, AuditQuery) {}

export class AuditVerifyRequest extends MessageMeta {}

/** Each message of the audit service: its request and its reply (the gateway's client is typed by it). */
export interface AuditRpc {
  [AuditPattern.LIST]: { request: AuditListRequest; reply: AuditPage };
  [AuditPattern.VERIFY]: { request: AuditVerifyRequest; reply: AuditVerifyResult };
}
