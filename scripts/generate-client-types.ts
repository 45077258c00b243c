/**
 * `npm run generate:client-types`: writes the client library's types from the gateway's OpenAPI
 * document; with `--stdout`, prints them instead (the staleness spec compares that with the file).
 */
import { writeFileSync } from 'node:fs';
import { CLIENT_TYPES_FILE } from './openapi/client-types-file';
import { clientTypesSource } from './openapi/gateway-openapi';

clientTypesSource()
  .then((source) => {
    if (process.argv.includes('--stdout')) {
      process.stdout.write(source);
      return;
    }
    writeFileSync(CLIENT_TYPES_FILE, source);
    console.log(`wrote ${CLIENT_TYPES_FILE}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
