import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { Limits } from '../common/limits';
import { ANY_JSON_VALUE_SCHEMA } from '../entries/entry.dto';
import { IsWellFormedText } from '../text/text-rule';
import { PageOf, PageQuery } from '../common/page.dto';
import { VALUE_TYPES, ValueType } from '../values/value-type';

export const SECRET_ALPHABETS = ['alphanumeric', 'ascii-printable', 'hex', 'base64url'] as const;
export type SecretAlphabetName = (typeof SECRET_ALPHABETS)[number];

/** Why a secret version exists. */
export const SecretChange = {
  CREATE: 'CREATE',
  UPDATE: 'UPDATE',
  ROTATION: 'ROTATION',
  ROLLBACK: 'ROLLBACK',
} as const;
export type SecretChange = (typeof SecretChange)[keyof typeof SecretChange];

export class SecretRotateBody {
  @ApiPropertyOptional({
    description: 'The new value; when absent a strong random STRING is generated and returned once',
    ...ANY_JSON_VALUE_SCHEMA,
  })
  @IsOptional()
  @IsDefined()
  value?: unknown;

  @ApiPropertyOptional({
    enum: VALUE_TYPES,
    description: "Type of `value`; default: the entry's current type (generated values are STRING)",
  })
  @ValidateIf((body: SecretRotateBody) => body.value !== undefined)
  @IsOptional()
  @IsIn(VALUE_TYPES)
  valueType?: ValueType;

  @ApiPropertyOptional({ minimum: 8, maximum: 4096, default: 32, description: 'Length of a generated value' })
  @IsOptional()
  @IsInt()
  @Min(8)
  @Max(4096)
  length?: number;

  @ApiPropertyOptional({ enum: SECRET_ALPHABETS, default: 'alphanumeric', description: 'Alphabet of a generated value' })
  @IsOptional()
  @IsIn(SECRET_ALPHABETS)
  alphabet?: SecretAlphabetName;

  @ApiPropertyOptional({ maxLength: Limits.MAX_REASON_LENGTH, description: 'Why, kept with the version' })
  @IsOptional()
  @IsString()
  @MaxLength(Limits.MAX_REASON_LENGTH)
  @IsWellFormedText()
  reason?: string;
}

export class SecretRollbackBody {
  @ApiProperty({ minimum: 1, maximum: Limits.MAX_VERSION, description: 'The version whose value becomes current again (as a new version)' })
  @IsInt()
  @Min(1)
  @Max(Limits.MAX_VERSION)
  version!: number;

  @ApiPropertyOptional({ maxLength: Limits.MAX_REASON_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(Limits.MAX_REASON_LENGTH)
  @IsWellFormedText()
  reason?: string;
}

export class SecretVersionDto {
  @ApiProperty({ minimum: 1 }) version!: number;
  @ApiProperty({ enum: VALUE_TYPES }) valueType!: ValueType;
  @ApiProperty({ enum: Object.values(SecretChange) }) change!: SecretChange;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'For a rollback: the version it restored' }) restoredFrom!: number | null;
  @ApiProperty({ description: 'Principal id that made the change' }) actorId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class SecretVersionQuery extends PageQuery {}

export class SecretVersionPage extends PageOf(SecretVersionDto, 'Newest first; never values') {}
