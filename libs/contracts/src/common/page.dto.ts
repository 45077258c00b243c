import type { Type as ClassType } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

/** A page of a list: its items (described as `itemsDescription` says), and the cursor of the next page, null on the last. */
export function PageOf<TItem>(item: ClassType<TItem>, itemsDescription?: string) {
  class Page {
    @ApiProperty({ type: [item], description: itemsDescription }) items!: TItem[];
    @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  }
  return Page;
}
