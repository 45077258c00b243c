/** `npm run generate:client-types`: writes the client library's types from the gateway's OpenAPI document. */
import { writeFileSync } from 'node:fs';
import { clientTypesSource } from './openapi/gateway-openapi';
import { CLIENT_TYPES_FILE } from './openapi/client-types-file';

clientTypesSource()
  .then((source) => {
    writeFileSync(CLIENT_TYPES_FILE, source);
    console.log(`wrote ${CLIENT_TYPES_FILE}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
