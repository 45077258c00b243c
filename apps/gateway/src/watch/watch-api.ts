/** The X-KV-Revision response header of a read, as the OpenAPI document describes it. */
export const REVISION_RESPONSE_HEADER = {
  'X-KV-Revision': {
    description:
      'The revision this read reflects: `GET /{nsId}/watch?since=` it to be told every later change (an opaque cursor: a number for a plain namespace, two joined by a dot for a secret one)',
    schema: { type: 'string', example: '42' },
  },
};
