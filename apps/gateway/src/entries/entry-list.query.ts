import { ApiPropertyOptional } from '@nestjs/swagger';
import { EntryKeyListQuery, EntryListQuery, KEY_LEVEL_DELIMITER } from '@app/contracts';
import { IsEmpty, IsIn, IsOptional } from 'class-validator';

// One message for every wrong form: each route accepts only its own value, and IsIn's default would name that one alone.
const VALUES_MESSAGE = 'values must be "true" or "false"';
/** `values` as the query says it; `false` is served by the keys-only route (see entry-operation.ts). */
const VALUES_DOC =
  '`false`: keys only, each with its type, version, expiry, metadata and times but no value; needs only `kv-namespace:read`, reads (decrypts) no secret, and is one `LIST` audit record for the call';

/** `GET /:nsId/entries`, with values (the default). */
export class EntryListRouteQuery extends EntryListQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true', description: VALUES_DOC })
  @IsOptional()
  @IsIn(['true'], { message: VALUES_MESSAGE })
  values?: 'true';

  @ApiPropertyOptional({
    enum: [KEY_LEVEL_DELIMITER],
    description:
      'With `values=false` only: group the keys below the next `/` after the prefix into `folders` (like S3 common prefixes), each one item of the page however many keys it holds',
  })
  @IsEmpty({ message: 'delimiter needs values=false: only a keys-only listing groups keys into folders' })
  delimiter?: string;
}

/** `GET /:nsId/entries?values=false`: keys only. Documented as the `values` query of the list route, its path. */
export class EntryKeysRouteQuery extends EntryKeyListQuery {
  @IsIn(['false'], { message: VALUES_MESSAGE })
  values!: 'false';
}
