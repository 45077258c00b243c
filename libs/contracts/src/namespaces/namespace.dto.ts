import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { Limits } from '../common/limits';
import { IsWellFormedText } from '../text/text-rule';
import { PageOf, PageQuery } from '../common/page.dto';

export class NamespaceInput {
  @ApiProperty({ description: 'Unique within the application', pattern: Limits.NAMESPACE_NAME_PATTERN.source, example: 'billing-config' })
  @IsString()
  @Matches(Limits.NAMESPACE_NAME_PATTERN, { message: 'name must be 1-63 letters, digits, ".", "_" or "-"' })
  name!: string;

  @ApiPropertyOptional({ maxLength: Limits.MAX_DESCRIPTION_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(Limits.MAX_DESCRIPTION_LENGTH)
  @IsWellFormedText()
  description?: string;

  @ApiProperty({ pattern: Limits.APPLICATION_ID_PATTERN.source, example: 'billing' })
  @IsString()
  @Matches(Limits.APPLICATION_ID_PATTERN, { message: 'applicationId must be 1-128 letters, digits, ".", "_", ":" or "-"' })
  applicationId!: string;

  @ApiPropertyOptional({ default: false, description: 'Entries are encrypted and versioned; cannot change after creation' })
  @IsOptional()
  @IsBoolean()
  isSecretNamespace?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: Limits.MAX_TTL_SECONDS, description: 'TTL of entries written without `ttlSeconds`' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Limits.MAX_TTL_SECONDS)
  defaultTtlSeconds?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: Limits.MAX_SECRET_VERSIONS,
    description: 'Secret namespaces: keep at most this many versions of an entry, pruning the oldest; default all',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Limits.MAX_SECRET_VERSIONS)
  maxSecretVersions?: number;
}

export class NamespaceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty() applicationId!: string;
  @ApiProperty() isSecretNamespace!: boolean;
  @ApiProperty({ type: Number, nullable: true }) defaultTtlSeconds!: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxSecretVersions!: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class NamespaceListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only namespaces of this application' })
  @IsOptional()
  @IsString()
  @Matches(Limits.APPLICATION_ID_PATTERN)
  applicationId?: string;
}

export class NamespacePage extends PageOf(NamespaceDto) {}

/**
 * What another service needs to know of a namespace to serve its entries: the gateway looks it up
 * (and caches it) to route a call, and passes it to the secrets service with the call.
 */
export class NamespaceDescriptor {
  @IsUUID() id!: string;
  @IsString() @Matches(Limits.APPLICATION_ID_PATTERN) applicationId!: string;
  @IsBoolean() isSecretNamespace!: boolean;
  @IsOptional() @IsInt() @Min(1) @Max(Limits.MAX_TTL_SECONDS) defaultTtlSeconds!: number | null;
  @IsOptional() @IsInt() @Min(1) @Max(Limits.MAX_SECRET_VERSIONS) maxSecretVersions!: number | null;
  /** kv-entry's revision when the descriptor was read (see ChangeLogRequest): a watch from it misses no later namespace change. */
  @IsOptional() @IsInt() @Min(0) revision?: number;
}
