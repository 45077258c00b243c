import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { gatewayOpenApiDocument } from './gateway-openapi';

// Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
const WARNING = 1;

/** The gateway's OpenAPI document passes a standard linter: Spectral's `spectral:oas` ruleset, as its CLI runs it. */
describe('the OpenAPI document', () => {
  it('has no error and no warning under spectral:oas', async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas, 'recommended']] } as unknown as Parameters<Spectral['setRuleset']>[0]);
    const document = new Document(JSON.stringify(await gatewayOpenApiDocument(), null, 2), Json);
    const findings = (await spectral.run(document))
      .filter((finding) => finding.severity <= WARNING)
      .map((finding) => `${finding.code} at ${finding.path.join('.')}: ${finding.message}`);
    expect(findings).toEqual([]);
  }, 60_000);
});
