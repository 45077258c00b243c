import { isDecodableQuery } from './query-string';

describe('isDecodableQuery', () => {
  it.each(['', 'prefix=config/', 'prefix=%E4%B8%AD&limit=5', 'prefix=a+b', 'prefix=%F0%9F%98%80', 'flag', '&&&', '='])('accepts %j', (query) => {
    expect(isDecodableQuery(query)).toBe(true);
  });

  it.each(['prefix=%', 'prefix=%ZZ', 'prefix=%ED%A0%80', 'prefix=%FF', 'prefix=%C0%AE', 'a%ZZ=1', 'ok=1&bad=%E4%B8'])('refuses %j', (query) => {
    expect(isDecodableQuery(query)).toBe(false);
  });
});
