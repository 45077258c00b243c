import { ErrorCode } from '@app/contracts';
import { NamespaceIdPipe } from './namespace-id.pipe';

const NS = '3f0c2a5e-0000-4000-8000-00000000000a';

describe('NamespaceIdPipe', () => {
  const pipe = new NamespaceIdPipe();

  it('gives the id in lower case, the one spelling grants, caches and events use', () => {
    expect(pipe.transform(NS)).toBe(NS);
    expect(pipe.transform(NS.toUpperCase())).toBe(NS);
  });

  it.each(['not-a-uuid', '', 42, undefined])('%p names no namespace: 404', (value) => {
    expect(() => pipe.transform(value)).toThrow(expect.objectContaining({ code: ErrorCode.NAMESPACE_NOT_FOUND }));
  });
});
