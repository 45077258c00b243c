import { readFileSync } from 'node:fs';
import { CLIENT_TYPES_FILE } from './client-types-file';
import { clientTypesSource } from './gateway-openapi';

describe('client types (libs/client/src/generated/openapi.ts)', () => {
  it('match the gateway\'s OpenAPI document: run `npm run generate:client-types` after changing the API', async () => {
    expect(readFileSync(CLIENT_TYPES_FILE, 'utf8')).toBe(await clientTypesSource());
  }, 30000);
});
