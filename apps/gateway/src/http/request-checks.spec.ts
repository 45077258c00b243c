import { isDecodableQuery, malformedRequestProblem } from './request-checks';

describe('isDecodableQuery', () => {
  it.each(['', 'prefix=config/', 'prefix=%E4%B8%AD&limit=5', 'prefix=a+b', 'prefix=%F0%9F%98%80', 'flag', '&&&', '='])(
    'accepts %j',
    (query) => {
      expect(isDecodableQuery(query)).toBe(true);
    },
  );

  it.each(['prefix=%', 'prefix=%ZZ', 'prefix=%ED%A0%80', 'prefix=%FF', 'prefix=%C0%AE', 'a%ZZ=1', 'ok=1&bad=%E4%B8'])(
    'refuses %j',
    (query) => {
      expect(isDecodableQuery(query)).toBe(false);
    },
  );
});

describe('malformedRequestProblem', () => {
  const request = (url: string, host: string | undefined, httpVersion = '1.1') => ({ url, headers: { host }, raw: { httpVersion } });

  it('passes a request with a Host and a decodable query', () => expect(malformedRequestProblem(request('/x?prefix=a', 'kv'))).toBeNull());
  it('refuses an HTTP/1.1 request without Host, not an HTTP/1.0 one', () => {
    expect(malformedRequestProblem(request('/x', undefined))).toMatch(/Host/);
    expect(malformedRequestProblem(request('/x', undefined, '1.0'))).toBeNull();
  });
  it('refuses an undecodable query', () => expect(malformedRequestProblem(request('/x?prefix=%ED%A0%80', 'kv'))).toMatch(/UTF-8/));
});
