import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Limits } from '@app/contracts';
import { IsInt, Max, Min } from 'class-validator';

/** `GET /:nsId/entries/{key}?version=N`: an old value of a secret. */
export class EntryVersionQuery {
  @ApiProperty({ minimum: 1, maximum: Limits.MAX_VERSION })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Limits.MAX_VERSION)
  version!: number;
}
