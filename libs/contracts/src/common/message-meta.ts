import type { Type as ClassType } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { Principal } from '@app/permissions';
import { IsWellFormedText } from '../text/text-rule';
import { Limits } from './limits';

export class ActorDto implements Principal {
  @IsString() @MaxLength(Limits.MAX_PRINCIPAL_ID_LENGTH) @IsWellFormedText() id!: string;
  @IsArray()
  @ArrayMaxSize(Limits.MAX_PRINCIPAL_PERMISSIONS)
  @IsString({ each: true })
  @IsWellFormedText(undefined, { each: true })
  permissions!: string[];
  @IsArray()
  @ArrayMaxSize(Limits.MAX_PRINCIPAL_APPLICATIONS)
  @IsString({ each: true })
  @IsWellFormedText(undefined, { each: true })
  applications!: string[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** An HTTP caller's Idempotency-Key as the gateway forwards it: digests only, never the key itself. */
export class IdempotencyDto {
  /** The key, scoped to the principal that sent it. */
  @Matches(SHA256_HEX) key!: string;
  /** The request it was first sent with: route and body. */
  @Matches(SHA256_HEX) fingerprint!: string;
}

/** Every message to a service carries who asks and the request id that ties logs and audit together. */
export class MessageMeta {
  @ValidateNested() @Type(() => ActorDto) actor!: ActorDto;
  @IsString() @MaxLength(128) @IsWellFormedText() requestId!: string;
  @IsOptional() @IsString() @MaxLength(64) @IsWellFormedText() clientAddress?: string;
  /** Minted by the gateway for each message it sends (never the caller's request id): a redelivery carries the same. */
  @IsOptional() @IsUUID() callId?: string;
  /** When the caller stops waiting (epoch ms): a service applies nothing after it. */
  @IsOptional() @IsInt() @IsPositive() deadline?: number;
  @IsOptional() @ValidateNested() @Type(() => IdempotencyDto) idempotency?: IdempotencyDto;
}

/** Adds a `body`, validated as its class, to a request class: what the call writes. */
export function WithBody<TBase extends ClassType<MessageMeta>, TBody extends object>(Base: TBase, Body: ClassType<TBody>) {
  class WithBodyRequest extends Base {
    @ValidateNested() @Type(() => Body) body!: TBody;
  }
  return WithBodyRequest;
}

/** Adds a `query`, validated as its class, to a request class: what the call lists by. */
export function WithQuery<TBase extends ClassType<MessageMeta>, TQuery extends object>(Base: TBase, Query: ClassType<TQuery>) {
  class WithQueryRequest extends Base {
    @ValidateNested() @Type(() => Query) query!: TQuery;
  }
  return WithQueryRequest;
}
