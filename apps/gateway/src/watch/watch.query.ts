import { ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode, IsWellFormedText, Limits } from '@app/contracts';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `GET /:nsId/watch?prefix=&since=`. */
export class WatchQuery {
  @ApiPropertyOptional({ description: 'Only entries whose key starts with this (namespace changes always come)', example: 'config/' })
  @IsOptional()
  @IsString()
  @MaxLength(Limits.MAX_KEY_BYTES)
  @IsWellFormedText(ErrorCode.INVALID_KEY)
  prefix?: string;

  @ApiPropertyOptional({
    description:
      "Resume after this revision: a read's `X-KV-Revision`, or an event's `id` (`Last-Event-ID` wins over it). Without either, from now on",
    example: '42',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  since?: string;
}
