import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';

/** `GET /:nsId/entries/{key}?version=N`: an old value of a secret. */
export class EntryVersionQuery {
  @ApiProperty({ minimum: 1 })
  @Type(() => Number) @IsInt() @Min(1)
  version!: number;
}
