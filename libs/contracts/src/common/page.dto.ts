import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsWellFormedText } from '../text/text-rule';
import { Limits } from './limits';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: Limits.MAX_PAGE_SIZE, default: Limits.DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Limits.MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's `nextCursor`" })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsWellFormedText()
  cursor?: string;
}
