import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Limits } from '../common/limits';
import { MaxItems } from '../common/max-items';
import { IsWellFormedText } from '../text/text-rule';
import { ErrorCode } from '../errors/error-codes';
import { PageOf, PageQuery } from '../common/page.dto';
import { VALUE_TYPES, ValueType } from '../values/value-type';

const VALUE_DOC = 'The value, as the JSON type its `valueType` implies (a NUMBER as a number, BINARY as base64, DATE as YYYY-MM-DD...)';

/** A value's schema: any JSON value but null (its `valueType` narrows it), so that examples of every type are valid. */
export const ANY_JSON_VALUE_SCHEMA: { oneOf: SchemaObject[] } = {
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
  ],
};

/** What a write says about one entry; the key comes from the URL (single) or the item (bulk). */
export class EntryWrite {
  @ApiProperty({ description: VALUE_DOC, example: 'db.internal', ...ANY_JSON_VALUE_SCHEMA })
  @IsDefined()
  value!: unknown;

  @ApiProperty({ enum: VALUE_TYPES, example: ValueType.STRING })
  @IsIn(VALUE_TYPES)
  valueType!: ValueType;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: Limits.MAX_TTL_SECONDS,
    description: 'Expire after this many seconds; else the namespace default',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Limits.MAX_TTL_SECONDS)
  ttlSeconds?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: `Free-form JSON object, at most ${Limits.MAX_METADATA_BYTES} bytes`,
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export class EntryPutBody extends EntryWrite {
  @ApiPropertyOptional({
    minimum: 0,
    description: 'Write only if the current version is this one (0: only if absent); else 409 VERSION_CONFLICT',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Limits.MAX_VERSION)
  expectedVersion?: number;
}

export class EntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) namespaceId!: string;
  @ApiProperty({ example: 'config/database/host' }) keyPath!: string;
  @ApiProperty({ description: VALUE_DOC, ...ANY_JSON_VALUE_SCHEMA }) value!: unknown;
  @ApiProperty({ enum: VALUE_TYPES }) valueType!: ValueType;
  @ApiProperty({ minimum: 1 }) version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) metadata!: Record<string, unknown> | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class EntryListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only keys that start with this string', example: 'config/' })
  @IsOptional()
  @IsString()
  @MaxLength(Limits.MAX_KEY_BYTES)
  @IsWellFormedText(ErrorCode.INVALID_KEY)
  prefix?: string;
}

export class EntryPage extends PageOf(EntryDto) {}

/** The one delimiter a keys-only listing groups by: key paths are `/`-separated segments (see key-path.ts). */
export const KEY_LEVEL_DELIMITER = '/';

/** What a keys-only listing (`values=false`) asks for; the gateway's `values` is no part of it. */
export class EntryKeyListQuery extends EntryListQuery {
  @ApiPropertyOptional({
    enum: [KEY_LEVEL_DELIMITER],
    description:
      'Group the keys below the next `/` after the prefix into folders (like S3 common prefixes): each folder is one item of the page, however many keys it holds',
  })
  @IsOptional()
  @IsIn([KEY_LEVEL_DELIMITER], { message: `delimiter must be "${KEY_LEVEL_DELIMITER}", the only one supported` })
  delimiter?: typeof KEY_LEVEL_DELIMITER;
}

/** An entry as a keys-only listing shows it: everything but its value. */
export class EntryKeyDto extends OmitType(EntryDto, ['value'] as const) {}

/**
 * A page of a keys-only listing: keys and, with a delimiter, folders, together at most `limit`. They are two arrays, each in
 * key order (UTF-8 byte order, the keys' "C" collation); the page's own order is the two merged by that order, a folder where
 * its first key would be. JavaScript's default string order is by UTF-16 code unit and differs beyond U+FFFF: the client's
 * `levelItemsOf` merges them right.
 */
export class EntryKeyPage extends PageOf(
  EntryKeyDto,
  'The keys of this level (all keys under the prefix without a delimiter), no values, in key order (UTF-8 byte order)',
) {
  @ApiProperty({
    type: [String],
    example: ['config/database/'],
    description:
      "With `delimiter`: the next level's folders under the prefix, each ending with the delimiter, in key order; else empty. " +
      'The page in order is `items` and `folders` merged by UTF-8 byte order of the key paths (a folder where its first key ' +
      "would be), not by JavaScript's default string order, which differs beyond U+FFFF",
  })
  folders!: string[];
}

export class BulkKeysBody {
  @ApiProperty({ type: [String], minItems: 1, maxItems: Limits.MAX_BULK_KEYS })
  @IsArray()
  @ArrayMinSize(1)
  @MaxItems(Limits.MAX_BULK_KEYS, ErrorCode.TOO_MANY_KEYS, { message: `at most ${Limits.MAX_BULK_KEYS} keys a call` })
  @IsString({ each: true })
  @IsWellFormedText(ErrorCode.INVALID_KEY, { each: true })
  keys!: string[];
}

export class BulkSetItem extends EntryWrite {
  @ApiProperty({ example: 'config/database/host' })
  @IsString()
  @IsWellFormedText(ErrorCode.INVALID_KEY)
  key!: string;
}

export class BulkSetBody {
  @ApiProperty({ type: [BulkSetItem], minItems: 1, maxItems: Limits.MAX_BULK_KEYS })
  @IsArray()
  @ArrayMinSize(1)
  @MaxItems(Limits.MAX_BULK_KEYS, ErrorCode.TOO_MANY_KEYS, { message: `at most ${Limits.MAX_BULK_KEYS} entries a call` })
  // IsObject: ValidateNested alone lets an array item that is itself an array through.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => BulkSetItem)
  entries!: BulkSetItem[];
}

export class BulkGetResult {
  @ApiProperty({ type: [EntryDto] }) items!: EntryDto[];
  @ApiProperty({ type: [String], description: 'Requested keys that do not exist or have expired' }) missing!: string[];
}

export class BulkSetResult {
  @ApiProperty({ type: [EntryDto] }) items!: EntryDto[];
}

export class BulkDeleteResult {
  @ApiProperty({ type: [String] }) deleted!: string[];
  @ApiProperty({ type: [String] }) missing!: string[];
}
