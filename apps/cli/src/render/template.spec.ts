import type { KvValue } from '@kv-service/client';
import { NotFoundError } from '../exit-codes';
import { MissingKeyError, ReadKeys, RenderError, renderTemplate } from './template';

/** Namespaces as the gateway would hold them, and the reads made of them (namespace, keys) in order. */
function store(namespaces: Record<string, Record<string, KvValue>>) {
  const reads: Array<[string, string[]]> = [];
  const read: ReadKeys = async (namespace, keys) => {
    reads.push([namespace, [...keys]]);
    const entries = namespaces[namespace];
    if (entries === undefined) throw new NotFoundError(`namespace ${namespace} not found`);
    return new Map(keys.filter((key) => key in entries).map((key) => [key, entries[key]]));
  };
  return { read, reads };
}

const billing = store({
  'billing/config': {
    'db/host': 'db.internal',
    'db/port': 5432,
    'flags/beta': true,
    'flags/off': false,
    cfg: { port: 8443, hosts: ['a', 'b'], tls: { enabled: true } },
    blob: new Uint8Array([0, 1, 255]),
    markup: `<a href="x">Tom & Jerry's</a>`,
    nothing: null,
    'which/key': 'db/host',
    'which/ns': 'billing/secrets',
    'hop/1': 'hop/2',
    'hop/2': 'hop/3',
    'hop/3': 'hop/4',
    'hop/4': 'hop/5',
    'hop/5': 'end',
  },
  'billing/secrets': { 'db/password': 's3cr3t', 'as/key': 'k-s3cr3t', 'as/ns': 'ns-s3cr3t' },
});

const render = (source: string, options: { defaultNamespace?: string; maxPasses?: number } = {}) =>
  renderTemplate(source, { name: 'app.conf.njk', read: billing.read, ...options });

/** The RenderError a template fails with. */
async function failure(source: string, options: { defaultNamespace?: string; maxPasses?: number } = {}): Promise<RenderError> {
  const error = await render(source, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RenderError);
  return error as RenderError;
}

describe('renderTemplate', () => {
  beforeEach(() => (billing.reads.length = 0));

  it('renders values as the API types them: a number, a boolean, JSON as an object, BINARY as base64', async () => {
    const { text } = await render(
      [
        "host={{ kv('db/host', 'billing/config') }}",
        "port={{ kv('db/port', 'billing/config') + 1 }}",
        "beta={{ 'on' if kv('flags/beta', 'billing/config') else 'off' }} off={{ 'on' if kv('flags/off', 'billing/config') else 'off' }}",
        "tls={{ kv('cfg', 'billing/config').port }} {{ kv('cfg', 'billing/config').tls.enabled }}",
        "{% for host in kv('cfg', 'billing/config').hosts %}- {{ host }}\n{% endfor %}",
        "blob={{ kv('blob', 'billing/config') }}",
        "null=[{{ kv('nothing', 'billing/config') }}]",
      ].join('\n'),
    );
    expect(text).toBe(
      ['host=db.internal', 'port=5433', 'beta=on off=off', 'tls=8443 true', '- a\n- b\n', 'blob=AAH/', 'null=[]'].join('\n'),
    );
  });

  it('prints a JSON object or array as its JSON text, and loops see only its own keys', async () => {
    const { text } = await render(
      "{{ kv('cfg', 'billing/config') }} {{ kv('cfg', 'billing/config').hosts }}\n{% for key, value in kv('cfg', 'billing/config') %}{{ key }};{% endfor %} {{ kv('cfg', 'billing/config') | dump }}",
    );
    const json = '{"port":8443,"hosts":["a","b"],"tls":{"enabled":true}}';
    expect(text).toBe(`${json} ["a","b"]\nport;hosts;tls; ${json}`);
  });

  it('escapes nothing: < > & " and \' come out as they are', async () => {
    const { text } = await render(`{{ kv('markup', 'billing/config') }} {{ '<&>"' }}`);
    expect(text).toBe(`<a href="x">Tom & Jerry's</a> <&>"`);
  });

  it('reads each namespace once per pass with all its keys, and reports the keys read', async () => {
    const { reads } = await render(
      "{{ kv('db/host', 'billing/config') }}{{ kv('db/port', 'billing/config') }}{{ kv('db/password', 'billing/secrets') }}{{ kv('db/host', 'billing/config') }}",
    );
    expect(billing.reads).toEqual([
      ['billing/config', ['db/host', 'db/port']],
      ['billing/secrets', ['db/password']],
    ]);
    expect(reads).toEqual(
      new Map([
        ['billing/config', new Set(['db/host', 'db/port'])],
        ['billing/secrets', new Set(['db/password'])],
      ]),
    );
  });

  it('include, import and extends fail with a fixed message, never the (value-made) name asked for', async () => {
    for (const source of [
      "{% include kv('db/password', 'billing/secrets') %}",
      "{% import kv('db/password', 'billing/secrets') as x %}",
      "{% extends kv('db/password', 'billing/secrets') %}",
    ]) {
      const error = await failure(source);
      const told = `${error.message} ${String((error.cause as Error | undefined)?.message)}`;
      expect(told).not.toContain('s3cr3t');
      expect(told).toContain('include, import and extends are not supported');
    }
  });

  it('a missing key is an error naming the key, the namespace and the line', async () => {
    const error = await failure("a\nb\n  x={{ kv('db/nope', 'billing/config') }}");
    expect(error.message).toBe('app.conf.njk:3:10: key "db/nope" not found in namespace billing/config');
    expect(error.cause).toBeInstanceOf(MissingKeyError);
    expect(error.cause).toBeInstanceOf(NotFoundError);
  });

  it('a key or namespace named by a value is not named in an error: the name is the value', async () => {
    for (const source of [
      "{{ kv(kv('as/key', 'billing/secrets'), 'billing/config') }}",
      "{{ kv('db/host', kv('as/ns', 'billing/secrets')) }}",
      "{{ kv(kv('as/key', 'billing/secrets')) }}",
      "{{ kv('prefix/' ~ kv('as/key', 'billing/secrets'), 'billing/config') }}",
    ]) {
      const error = await failure(source);
      const told = `${error.message} ${String((error.cause as Error | undefined)?.message)}`;
      expect(told).not.toContain('s3cr3t');
      expect(told).toMatch(/named by a value/);
    }
    // A key the template writes is named, even when a value names it too; and so is --namespace's namespace.
    expect((await failure("{{ kv('db/nope') }}", { defaultNamespace: 'billing/config' })).message).toBe(
      'app.conf.njk:1:6: key "db/nope" not found in namespace billing/config',
    );
  });

  it('with errorOnMissing false a missing key is undefined: default() gives its default', async () => {
    const { text, reads } = await render(
      [
        "{{ kv('db/nope', 'billing/config', false) | default('fallback') }}",
        "{{ kv('db/nope', 'billing/config', errorOnMissing=false) | default(5432) }}",
        "[{{ kv('db/nope', 'billing/config', false) }}]",
        "{{ kv('db/host', 'billing/config', false) | default('unused') }}",
      ].join('\n'),
    );
    expect(text).toBe('fallback\n5432\n[]\ndb.internal');
    // A missing key is read too: a watch renders again when it appears.
    expect(reads.get('billing/config')).toEqual(new Set(['db/nope', 'db/host']));
  });

  it('kv(key) reads the default namespace, and without one says how to name it', async () => {
    expect(
      (await render("{{ kv('db/host') }} {{ kv('db/port', errorOnMissing=false) }}", { defaultNamespace: 'billing/config' })).text,
    ).toBe('db.internal 5432');
    expect((await failure("{{ kv('db/host') }}")).detail).toBe(
      "kv('db/host'): no namespace: give it as the second argument, or --namespace",
    );
  });

  it('an unknown namespace fails the kv() call that names it, with its line', async () => {
    const error = await failure("ok\n{{ kv('k', 'billing/nope') }}");
    expect(error.message).toBe('app.conf.njk:2:6: namespace billing/nope not found');
    expect(error.cause).toBeInstanceOf(NotFoundError);
  });

  it('a syntax error names the file and line', async () => {
    const error = await failure('line one\n{% if %}\n');
    expect(error.location).toBe('app.conf.njk:2:7');
    expect(error.detail).toBe('unexpected token: %}');
    expect(billing.reads).toEqual([]);
  });

  it('reads keys named by other values in further passes, and only those the result needs', async () => {
    const { text, reads } = await render(
      [
        "{{ kv(kv('which/key', 'billing/config'), 'billing/config') }}",
        "{{ kv('db/password', kv('which/ns', 'billing/config')) }}",
        "{% if kv('flags/off', 'billing/config') %}{{ kv('only/when/on', 'billing/config') }}{% endif %}",
      ].join('\n'),
    );
    expect(text).toBe('db.internal\ns3cr3t\n');
    // The first pass took the branch on a placeholder and read only/when/on; the result does not need it.
    expect(billing.reads).toEqual([
      ['billing/config', ['which/key', 'which/ns', 'flags/off', 'only/when/on']],
      ['billing/config', ['db/host']],
      ['billing/secrets', ['db/password']],
    ]);
    expect(reads).toEqual(
      new Map([
        ['billing/config', new Set(['which/key', 'db/host', 'which/ns', 'flags/off'])],
        ['billing/secrets', new Set(['db/password'])],
      ]),
    );
  });

  it('gives up, naming the keys, when keys named by values go deeper than the passes allowed', async () => {
    // Four reads, one after the other: four passes that read and a fifth that renders.
    const chain = "{{ kv(kv(kv(kv('hop/1')))) }}";
    expect((await render(chain, { defaultNamespace: 'billing/config' })).text).toBe('hop/5');
    const error = await failure(chain, { defaultNamespace: 'billing/config', maxPasses: 3 });
    expect(error.message).toBe('app.conf.njk: keys named by other values still unread after 3 passes ("hop/3" in billing/config)');
  });
});
