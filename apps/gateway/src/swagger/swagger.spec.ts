import type { OpenAPIObject } from '@nestjs/swagger';
import { renameWildcardPaths } from './swagger';

describe('renameWildcardPaths', () => {
  const documentWith = (...paths: string[]): OpenAPIObject =>
    ({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: Object.fromEntries(paths.map((path) => [path, { get: {} }])),
    }) as OpenAPIObject;

  it('names the entry wildcard {key}, at the end or before an operation segment', () => {
    const renamed = renameWildcardPaths(documentWith('/api/v1/kv/{nsId}/entries/{path}', '/api/v1/kv/{nsId}/entries/{path24}/rotate'));
    expect(Object.keys(renamed.paths)).toEqual(['/api/v1/kv/{nsId}/entries/{key}', '/api/v1/kv/{nsId}/entries/{key}/rotate']);
    expect(Object.keys(renameWildcardPaths(documentWith('/api/v1/kv/{nsId}/entries/*')).paths)).toEqual([
      '/api/v1/kv/{nsId}/entries/{key}',
    ]);
  });

  it('leaves other paths alone, including a segment that only starts like the wildcard', () => {
    const paths = ['/api/v1/kv/namespaces/{nsId}', '/api/v1/kv/{nsId}/bulk/get', '/api/v1/kv/{pathway}/x'];
    expect(Object.keys(renameWildcardPaths(documentWith(...paths)).paths)).toEqual(paths);
  });
});
