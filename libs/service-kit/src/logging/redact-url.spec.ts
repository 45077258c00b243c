import { redactUrl } from './redact-url';

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('redactUrl', () => {
  it('keeps a URL without credentials as it is', () => {
    expect(redactUrl('/api/v1/kv/ns/entries?prefix=config/&limit=10')).toBe('/api/v1/kv/ns/entries?prefix=config/&limit=10');
    expect(redactUrl('/api/v1/kv/namespaces')).toBe('/api/v1/kv/namespaces');
  });

  it.each(['access_token', 'token', 'jwt', 'id_token', 'api_key', 'apiKey', 'X-Amz-Signature', 'password', 'client_secret', 'auth'])(
    'redacts the value of %s',
    (name) => {
      const logged = redactUrl(`/api/v1/kv/namespaces?limit=5&${name}=hunter2-credential`);
      expect(logged).toBe(`/api/v1/kv/namespaces?limit=5&${name}=[redacted]`);
    },
  );

  it('redacts a percent-encoded parameter name', () => {
    expect(redactUrl('/x?access%5Ftoken=hunter2')).toBe('/x?access%5Ftoken=[redacted]');
  });

  it('redacts anything shaped like a JWT, under any name and in the path', () => {
    expect(redactUrl(`/x?q=${jwt}`)).toBe('/x?q=[redacted]');
    expect(redactUrl(`/x/${jwt}/y`)).toBe('/x/[redacted]/y');
  });
});
