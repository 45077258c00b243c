import { ApiParam } from '@nestjs/swagger';

export const ApiNamespaceIdParam = () => ApiParam({ name: 'nsId', format: 'uuid', description: 'Namespace id' });

/** Documented as `{key}`; the OpenAPI document's wildcard path segment is renamed to match (see swagger/). */
export const ApiEntryKeyParam = () =>
  ApiParam({
    name: 'key',
    type: String,
    description: 'Key path, the rest of the URL (e.g. `config/database/host`); percent-decoded once, so `%2F` is a "/" and `%25` a "%"',
    example: 'config/database/host',
  });
