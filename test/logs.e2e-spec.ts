import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, createNamespace, platformState, tokenFor, uniqueName } from './support/api';
import { eventually } from './support/workload';
import { anAdmin } from './support/principals';

interface LogLine {
  msg?: string;
  requestId?: string;
  req?: { id?: string };
}

const linesOf = (service: string): LogLine[] =>
  readFileSync(join(platformState().logDir, `${service}.log`), 'utf8')
    .split('\n')
    // A line still being written has no closing brace yet.
    .filter((line) => line.startsWith('{') && line.endsWith('}'))
    .map((line) => JSON.parse(line) as LogLine);

/** Structured JSON logs: a line about a request names it, in the gateway and in the service that did the work. */
describe('logs', () => {
  it('carry the request id on the lines of the gateway and of the services', async () => {
    const admin = await tokenFor(anAdmin({ id: 'log-user' }));
    const ns = (await createNamespace(admin, { applicationId: uniqueName('logs'), isSecretNamespace: true })).id;
    await call('PUT', `/${ns}/entries/k`, { token: admin, body: { value: 'v', valueType: 'STRING' } });
    const requestId = `trace-logs-${Date.now()}`;
    expect((await call('DELETE', `/namespaces/${ns}`, { token: admin, headers: { 'x-request-id': requestId } })).status).toBe(204);

    // The secrets service logs the purge it did for this request.
    expect(await eventually(async () => linesOf('secrets').some((line) => line.msg?.startsWith(`purged namespace ${ns}`)), 5000)).toBe(
      true,
    );
    const purge = linesOf('secrets').find((line) => line.msg?.startsWith(`purged namespace ${ns}`))!;
    expect(purge.requestId).toBe(requestId);
    // The gateway's line for the request itself, written once the response is sent.
    expect(await eventually(async () => linesOf('gateway').some((line) => line.req?.id === requestId), 5000)).toBe(true);
  });
});
