import { decodeOutcome, decodeRequest, encodeJson } from './rpc-wire';

describe('the request/reply wire format', () => {
  it('carries a reply, an absent reply and an error through JSON', () => {
    expect(decodeOutcome(encodeJson({ reply: { id: '1' } }))).toEqual({ reply: { id: '1' } });
    expect(decodeOutcome(encodeJson({}))).toEqual({ reply: undefined });
    expect(decodeOutcome(encodeJson({ error: { code: 'ENTRY_NOT_FOUND', message: 'no' } }))).toEqual({
      error: { code: 'ENTRY_NOT_FOUND', message: 'no' },
    });
  });

  it('answers a body that is not a JSON object as an error without a code', () => {
    for (const body of ['not json', '[1]', 'null', '42'])
      expect(decodeOutcome(Buffer.from(body))).toEqual({ error: { malformed: expect.any(String) } });
  });

  it('reads a request only as a JSON object', () => {
    expect(decodeRequest(encodeJson({ id: 'a' }))).toEqual({ id: 'a' });
    for (const body of ['{', '[]', 'null', '"x"', '\u0000']) expect(decodeRequest(Buffer.from(body))).toBeUndefined();
  });
});
