import type { Type as ClassType } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
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

/** Every message to a service carries who asks and the request id that ties logs and audit together. */
export class MessageMeta {
  @ValidateNested() @Type(() => ActorDto) actor!: ActorDto;
  @IsString() @MaxLength(128) @IsWellFormedText() requestId!: string;
  @IsOptional() @IsString() @MaxLength(64) @IsWellFormedText() clientAddress?: string;
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
