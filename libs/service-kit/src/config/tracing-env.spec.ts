import { TracingEnv } from './tracing-env';
import { envValidator } from './validate-env';

const validate = envValidator(TracingEnv);

describe('TracingEnv', () => {
  it('is off unless told, and when on samples a tenth of the traces it starts, to a collector on the node, in protobuf', () => {
    expect({ ...validate({}) }).toEqual({
      KV_TRACING_ENABLED: false,
      KV_TRACING_SAMPLE_RATIO: 0.1,
      KV_TRACING_OTLP_ENDPOINT: 'http://127.0.0.1:4318/v1/traces',
      KV_TRACING_OTLP_PROTOCOL: 'http/protobuf',
    });
  });

  it('reads the switch as the environment spells it: "false" is off', () => {
    expect(validate({ KV_TRACING_ENABLED: 'true' }).KV_TRACING_ENABLED).toBe(true);
    expect(validate({ KV_TRACING_ENABLED: 'false' }).KV_TRACING_ENABLED).toBe(false);
    for (const unclear of ['1', 'yes', 'on', '']) expect(() => validate({ KV_TRACING_ENABLED: unclear })).toThrow('KV_TRACING_ENABLED');
  });

  it('takes a sample ratio from 0 to 1', () => {
    expect(validate({ KV_TRACING_SAMPLE_RATIO: '0' }).KV_TRACING_SAMPLE_RATIO).toBe(0);
    expect(validate({ KV_TRACING_SAMPLE_RATIO: '0.25' }).KV_TRACING_SAMPLE_RATIO).toBe(0.25);
    expect(validate({ KV_TRACING_SAMPLE_RATIO: '1' }).KV_TRACING_SAMPLE_RATIO).toBe(1);
    for (const bad of ['-0.1', '1.5', 'half', 'NaN'])
      expect(() => validate({ KV_TRACING_SAMPLE_RATIO: bad })).toThrow('KV_TRACING_SAMPLE_RATIO');
  });

  it('takes an http(s) endpoint, a collector named by its Service included, and either OTLP/HTTP encoding', () => {
    expect(validate({ KV_TRACING_OTLP_ENDPOINT: 'http://otel-collector:4318/v1/traces' }).KV_TRACING_OTLP_ENDPOINT).toBe(
      'http://otel-collector:4318/v1/traces',
    );
    expect(validate({ KV_TRACING_OTLP_PROTOCOL: 'http/json' }).KV_TRACING_OTLP_PROTOCOL).toBe('http/json');
    for (const bad of ['otel-collector:4318', 'grpc://otel-collector:4317', 'ftp://x/v1/traces']) {
      expect(() => validate({ KV_TRACING_OTLP_ENDPOINT: bad })).toThrow('KV_TRACING_OTLP_ENDPOINT');
    }
    expect(() => validate({ KV_TRACING_OTLP_PROTOCOL: 'grpc' })).toThrow('KV_TRACING_OTLP_PROTOCOL');
  });
});
