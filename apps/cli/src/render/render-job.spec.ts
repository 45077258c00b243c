import type { ChangeEvent } from '@kv-service/client';
import { concernsReads, RenderedReads } from './render-job';

const change = (namespaceId: string, keyPath: string | null): ChangeEvent =>
  ({ type: keyPath === null ? 'namespace_updated' : 'updated', namespaceId, keyPath }) as ChangeEvent;

describe('concernsReads', () => {
  const reads: RenderedReads = new Map([['ns-1', { keys: new Set(['db/host', 'db/nope']), revision: '7' }]]);

  it('a change of a key the render read (present or missing) renders again; another key of the namespace does not', () => {
    expect(concernsReads([change('ns-1', 'db/host')], reads)).toBe(true);
    expect(concernsReads([change('ns-1', 'db/nope')], reads)).toBe(true);
    expect(concernsReads([change('ns-1', 'other/key')], reads)).toBe(false);
    expect(concernsReads([change('ns-1', 'other/key'), change('ns-1', 'db/host')], reads)).toBe(true);
  });

  it("the namespace's own change, a namespace not read, and a re-read (no changes) render again", () => {
    expect(concernsReads([change('ns-1', null)], reads)).toBe(true);
    expect(concernsReads([change('ns-2', 'x')], reads)).toBe(true);
    expect(concernsReads([], reads)).toBe(true);
  });
});
