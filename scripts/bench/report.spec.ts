import {
  END_MARKER,
  etcdMeasurements,
  renderCpuCost,
  renderResults,
  renderWatchFanOut,
  spliceGenerated,
  spliceWatch,
  START_MARKER,
  WATCH_END_MARKER,
  WATCH_START_MARKER,
} from './markdown';
import {
  Baseline,
  BenchResults,
  besideName,
  compare,
  echoFor,
  evaluateTargets,
  referenceOf,
  failed,
  Measurement,
  Peer,
  ProcessPeak,
  ratio,
  requestQueueName,
  Scenario,
  storageBaselineOf,
  tracingName,
} from './report';
import { aWatchFanOut } from './watch-fan-out.sample';

const m = (name: string, connections: number, perSecond: number, extra: Partial<Measurement> = {}): Measurement => ({
  name,
  connections,
  perSecond,
  p50Ms: 5,
  p99Ms: 20,
  errors: 0,
  non2xx: 0,
  total: perSecond * 10,
  ...extra,
});
const MB = 1024 * 1024;
const platform = (peak?: number): ProcessPeak[] =>
  ['gateway', 'kv-entry', 'secrets', 'audit'].map((process) => ({ process, peakRssBytes: peak, platform: true }));

describe('bench report', () => {
  const baselines = [m(Baseline.ECHO, 64, 4000), m(Baseline.HTTP, 64, 20000)];
  const passing = [
    m(Scenario.GET_PLAIN, 64, 2000),
    m(Scenario.GET_SECRET, 64, 1800),
    m(Scenario.PUT_PLAIN, 64, 1400),
    m(Scenario.BULK_GET, 64, 400),
  ];

  it('divides requests/s, and has no ratio without both sides', () => {
    expect(ratio(m('a', 1, 50), m('b', 1, 200))).toBe(0.25);
    expect(ratio(m('a', 1, 50), undefined)).toBeUndefined();
    expect(ratio(m('a', 1, 50), m('b', 1, 0))).toBeUndefined();
  });

  it('compares writes to the upsert and reads to the point select', () => {
    expect(storageBaselineOf(Scenario.PUT_SECRET)).toBe(Baseline.PG_UPSERT);
    expect(storageBaselineOf(Scenario.BULK_SET)).toBe(Baseline.PG_UPSERT);
    expect(storageBaselineOf(Scenario.LIST_PREFIX)).toBe(Baseline.PG_SELECT);
  });

  describe('targets of issue 21', () => {
    const cpu = (total: number): Pick<Measurement, 'cpuMsPerRequest'> => ({ cpuMsPerRequest: { total } });
    const lone = (name: string, meanMs: number, extra: Partial<Measurement> = {}) => m(name, 1, 1000 / meanMs, { meanMs, ...extra });
    // Every figure exactly at its limit: the echo 2.25 ms alone (1.5× bare 1.25 + HTTP 0.25), 0.5 ms of CPU a request at 64.
    const atLimits = {
      baselines: [
        lone(Baseline.ECHO, 2.25),
        lone(Baseline.BARE_AMQP, 1.25),
        lone(Baseline.HTTP, 0.25),
        m(Baseline.ECHO, 64, 4000, cpu(0.5)),
      ],
      scenarios: [
        lone(Scenario.GET_PLAIN, 3.375, { p99Ms: 6.75 }),
        lone(Scenario.GET_PLAIN_CACHED, 0.75),
        lone(Scenario.PUT_PLAIN, 5.625),
        m(Scenario.GET_PLAIN, 64, 2000, cpu(1)),
        m(Scenario.PUT_PLAIN, 64, 1000, cpu(2)),
        m(Scenario.GET_SECRET, 64, 1800, cpu(1.1)),
        m(Scenario.PUT_SECRET, 64, 500, cpu(3.4)),
        m(Scenario.LIST_PREFIX, 64, 500, cpu(2.5)),
      ],
      processes: platform(250 * MB),
      watch: aWatchFanOut({
        watchers: 1000,
        writes: 50,
        lastWatcher: { count: 50, p50Ms: 40, p99Ms: 250, maxMs: 250 },
        memory: { ...aWatchFanOut().memory!, perWatcher: { rssBytes: 20 * 1024, heapUsedBytes: 19 * 1024 } },
      }),
    };
    // Each figure a little past its limit.
    const past = (measurements: Measurement[]): Measurement[] =>
      measurements.map((x) => ({
        ...x,
        ...(x.meanMs === undefined ? {} : { meanMs: x.meanMs * 1.001 }),
        p99Ms: x.p99Ms * 1.001,
        ...(x.cpuMsPerRequest ? { cpuMsPerRequest: { total: x.cpuMsPerRequest.total! * 1.001 } } : {}),
      }));

    it('passes every target at its limit, in the order of the issue', () => {
      const targets = evaluateTargets(atLimits);
      expect(targets.map((t) => [t.target.split(':')[0], t.status])).toEqual([
        ['GET plain at 1 connection', 'PASS'],
        ['HTTP + RMQ echo at 1 connection', 'PASS'],
        ['GET plain (max-age=60) at 1 connection', 'PASS'],
        ['PUT plain at 1 connection', 'PASS'],
        ['GET plain at 64', 'PASS'],
        ['PUT plain at 64', 'PASS'],
        ['GET secret at 64', 'PASS'],
        ['PUT secret at 64', 'PASS'],
        ['list 100 by prefix at 64', 'PASS'],
        ['watch', 'PASS'],
        ['no platform process above 250 MB RSS', 'PASS'],
      ]);
      expect(targets[0].actual).toBe('mean 1.50× (3.375 ms against 2.250 ms), p99 3.00× (6.750 ms)');
      expect(targets[1].actual).toBe('1.50× (2.250 ms against 1.250 ms + 0.250 ms)');
      expect(targets[4].actual).toBe('2.00× (1.000 ms of CPU against 0.500 ms of CPU)');
      expect(targets[9].actual).toBe('last watcher p99 250.0 ms over 50 writes; RSS 20.0 KB a watcher (V8 heap 19.0 KB)');
    });

    it('misses each target just past its limit, and never shows a miss as the limit', () => {
      // The echo is judged against the bare round trip (a little faster here) and is the reference of others (unchanged).
      const fasterBare = atLimits.baselines.map((b) => (b.name === Baseline.BARE_AMQP ? { ...b, meanMs: 1.249 } : b));
      const targets = evaluateTargets({
        ...atLimits,
        baselines: fasterBare,
        // Those judged against another scenario, past it twice: that one is past its own limit too.
        scenarios: past(atLimits.scenarios).map((x) =>
          [Scenario.GET_SECRET, Scenario.PUT_SECRET, Scenario.LIST_PREFIX].includes(x.name as never) ? past([x])[0]! : x,
        ),
        processes: platform(250 * MB + 1),
        watch: { ...atLimits.watch, lastWatcher: { ...atLimits.watch.lastWatcher, p99Ms: 250.1 } },
      });
      expect(targets.map((t) => t.status)).toEqual(Array(11).fill('MISS'));
      expect(targets[4].actual).toMatch(/^2\.01× /);
    });

    it('misses GET plain alone on its p99, and the watch on its memory or a missed delivery', () => {
      const slowTail = atLimits.scenarios.map((x) => (x.name === Scenario.GET_PLAIN && x.connections === 1 ? { ...x, p99Ms: 6.76 } : x));
      expect(evaluateTargets({ ...atLimits, scenarios: slowTail })[0].status).toBe('MISS');
      const heavy = { ...atLimits.watch.memory!, perWatcher: { rssBytes: 20 * 1024 + 1, heapUsedBytes: 1 } };
      expect(evaluateTargets({ ...atLimits, watch: { ...atLimits.watch, memory: heavy } })[9].status).toBe('MISS');
      const missed = evaluateTargets({ ...atLimits, watch: { ...atLimits.watch, missed: 3 } })[9];
      expect(missed).toMatchObject({ status: 'MISS', actual: expect.stringContaining('invalid: 3 deliveries missed') });
    });

    it('says n/a for what was not measured: 1 connection, the bare round trip, etcd-less CPU, a short watch', () => {
      const at64Only = evaluateTargets({ ...atLimits, scenarios: atLimits.scenarios.filter((x) => x.connections === 64) });
      expect(at64Only.slice(0, 4).map((t) => t.status)).toEqual(['n/a', 'PASS', 'n/a', 'n/a']);
      expect(at64Only[0].actual).toBe('not measured (GET plain or the echo at 1 connection)');
      const noBare = evaluateTargets({ ...atLimits, baselines: atLimits.baselines.filter((b) => b.name !== Baseline.BARE_AMQP) });
      expect(noBare[1].status).toBe('n/a');
      const noCpu = evaluateTargets({ ...atLimits, baselines: atLimits.baselines.map((b) => ({ ...b, cpuMsPerRequest: undefined })) });
      expect(noCpu[4]).toMatchObject({ status: 'n/a', actual: 'not measured (GET plain or HTTP + RMQ echo at 64 connections)' });
      // Whole-millisecond runs before issue 21 have no mean latency.
      const old = evaluateTargets({ ...atLimits, scenarios: atLimits.scenarios.map((x) => ({ ...x, meanMs: undefined })) });
      expect(old[2].status).toBe('n/a');
      expect(evaluateTargets({ ...atLimits, watch: { ...atLimits.watch, writes: 20 } })[9]).toMatchObject({
        status: 'n/a',
        actual: 'not measured (1000 watchers and 20 writes; it needs 1000 and 50)',
      });
      expect(evaluateTargets({ ...atLimits, watch: undefined })[9].status).toBe('n/a');
      expect(evaluateTargets({ ...atLimits, processes: platform(undefined) })[10].actual).toMatch(/not started by the bench/);
    });

    it('judges a scenario against its reference measured right before and after it, over all their requests', () => {
      const beside = [
        // Echo beside GET plain at 1: 1,000 requests at 3 ms and 3,000 at 4 ms, 3.75 ms over all of them.
        m(besideName(Baseline.ECHO, Scenario.GET_PLAIN, 'before'), 1, 300, { meanMs: 3, total: 1000 }),
        m(besideName(Baseline.ECHO, Scenario.GET_PLAIN, 'after'), 1, 200, { meanMs: 4, total: 3000 }),
        // GET plain beside GET secret at 64: 0.8 and 1.2 ms of CPU over as many requests.
        m(besideName(Scenario.GET_PLAIN, Scenario.GET_SECRET, 'before'), 64, 2000, { ...cpu(0.8), total: 100 }),
        m(besideName(Scenario.GET_PLAIN, Scenario.GET_SECRET, 'after'), 64, 1000, { ...cpu(1.2), total: 100 }),
      ];
      const reference = echoFor(beside, atLimits.baselines, Scenario.GET_PLAIN, 1);
      expect(reference).toMatchObject({ perSecond: 250, meanMs: 3.75, total: 4000 });
      const targets = evaluateTargets({ ...atLimits, beside });
      // GET plain's 3.375 ms is 0.9× the 3.75 ms beside it (1.5× the 2.25 ms of the echo's own turn).
      expect(targets[0].actual).toBe('mean 0.90× (3.375 ms against 3.750 ms, measured beside it), p99 1.80× (6.750 ms)');
      expect(targets[6]).toMatchObject({ status: 'PASS', actual: '1.10× (1.100 ms of CPU against 1.000 ms of CPU, measured beside it)' });
      // Nothing beside it: the reference in its own turn; nowhere: nothing to judge against.
      expect(echoFor(beside, atLimits.baselines, Scenario.PUT_PLAIN, 1)?.meanMs).toBe(2.25);
      expect(echoFor([], [], Scenario.GET_PLAIN, 64)).toBeUndefined();
    });

    it('measures each judged scenario beside its reference at the connection count it is judged at', () => {
      expect(referenceOf(Scenario.GET_PLAIN, 1)).toBe(Baseline.ECHO);
      expect(referenceOf(Scenario.GET_PLAIN_CACHED, 1)).toBe(Baseline.HTTP);
      expect(referenceOf(Scenario.PUT_SECRET, 64)).toBe(Scenario.PUT_PLAIN);
      expect(referenceOf(Scenario.LIST_PREFIX, 64)).toBe(Scenario.GET_PLAIN);
      expect(referenceOf(Scenario.GET_SECRET, 16)).toBeUndefined();
      expect(referenceOf(Scenario.BULK_GET, 64)).toBeUndefined();
    });
  });

  it('counts non-2xx answers as failures', () => {
    expect(failed([m('a', 1, 1), m('b', 1, 1, { non2xx: 3 }), m('c', 1, 1, { errors: 1 })]).map((x) => x.name)).toEqual(['b', 'c']);
  });

  it('reports deltas for the measurements both runs have', () => {
    const deltas = compare([m('a', 64, 100, { p99Ms: 10 }), m('gone', 64, 5)], [m('a', 64, 150, { p99Ms: 8 }), m('new', 64, 5)]);
    expect(deltas).toEqual([{ name: 'a', connections: 64, before: 100, after: 150, perSecondChange: 0.5, p99BeforeMs: 10, p99AfterMs: 8 }]);
  });

  describe('markdown', () => {
    const results: BenchResults = {
      meta: {
        date: '2025-01-01',
        commit: 'abc1234',
        cpuModel: 'cpu',
        cores: 2,
        node: 'v20',
        durationSeconds: 10,
        connections: [64],
        logLevel: 'warn',
        loadAverage: [1, 2],
        target: 'scratch',
      },
      baselines,
      scenarios: [...passing, m(Scenario.PUT_SECRET, 64, 10, { non2xx: 2 })],
      processes: platform(100 * MB),
      targets: evaluateTargets({ scenarios: passing, baselines, processes: platform(100 * MB) }),
    };

    it('shows latencies to the microsecond, ratios to the baselines, keys/s of bulk calls, and failures in bold', () => {
      const text = renderResults({
        ...results,
        scenarios: [m(Scenario.GET_PLAIN, 64, 2000, { meanMs: 0.8734, p90Ms: 1.5, maxMs: 40.25 }), ...results.scenarios.slice(1)],
      });
      expect(text).toContain('| GET plain | 64 | 2000 | 0.873 | 5.000 | 1.500 | 20.000 | 40.250 | 0 | 50% | 10% | – |');
      expect(text).toContain('400 (40000 keys/s)');
      expect(text).toContain('| PUT secret | 64 | 10 | – | 5.000 | – | 20.000 | – | **2** |');
      expect(text).toContain('| n/a |');
    });

    it('sets etcd beside our GET and PUT, or says why it was not measured', () => {
      const etcd = {
        version: '3.4.23',
        measurements: [m(Peer.ETCD_GET, 64, 4100, { meanMs: 15.6 }), m(Peer.ETCD_PUT, 64, 4250, { meanMs: 15.1 })],
      };
      const text = renderResults({ ...results, scenarios: [m(Scenario.GET_PLAIN, 64, 2000, { meanMs: 32 })], etcd });
      expect(text).toContain('### What a user might pick instead: etcd');
      expect(text).toContain('no audit, no encryption and no per-call permissions');
      expect(text).toContain('| etcd point get | 64 | 4100 | 15.600 | 5.000 | – | 20.000 | – | 0 | 2000 | 32.000 |');
      expect(text).toContain('| etcd put | 64 | 4250 | 15.100 | 5.000 | – | 20.000 | – | 0 | – | – |');
      expect(renderResults({ ...results, etcd: { notMeasured: 'etcd is not installed' } })).toContain(
        'Not measured in this run: etcd is not installed.',
      );
      expect(etcdMeasurements({ notMeasured: 'x' })).toEqual([]);
      expect(renderResults(results)).not.toContain('etcd');
    });

    it('tabulates CPU per request at the highest connection count, in a fixed column order', () => {
      const withCost = {
        ...results,
        scenarios: [
          m(Scenario.GET_PLAIN, 64, 2000, { cpuMsPerRequest: { postgres: 0.1, gateway: 0.3, total: 0.4 } }),
          m(Scenario.GET_PLAIN, 16, 2000, { cpuMsPerRequest: { gateway: 9, total: 9 } }),
        ],
      };
      const text = renderResults(withCost);
      expect(text).toContain('| Scenario | gateway | postgres | total |');
      expect(text).toContain('| GET plain | 0.300 | 0.100 | 0.400 |');
      expect(text).not.toContain('9.000');
      expect(renderCpuCost({ total: 0.4, postgres: 0.1, gateway: 0.3 })).toBe('gateway 0.30, postgres 0.10, total 0.40');
    });

    it('sets the scenarios without and with tracing side by side, with what the traced platform exported, and nothing when skipped', () => {
      const cost = (total: number, gateway: number) => ({ cpuMsPerRequest: { total, gateway } });
      const tracing = {
        measurements: [
          m(tracingName(Scenario.GET_PLAIN, false), 64, 1000, cost(1.6, 0.4)),
          m(tracingName(Scenario.GET_PLAIN, true), 64, 800, cost(2.0, 0.6)),
        ],
        exports: 42,
        exportedBytes: 3 * MB,
      };
      const text = renderResults({ ...results, tracing });
      expect(text).toContain('### What tracing costs');
      expect(text).toContain('exported 42 times,\n3.0 MB');
      expect(text).toContain('| GET plain | 64 | 1000 → 800 | -20% | 20.000 → 20.000 | 1.600 → 2.000 | +25% | 0.400 → 0.600 | 0, 0 |');
      // PUT plain was not measured both ways: no row for it.
      const section = text.slice(text.indexOf('### What tracing costs'), text.indexOf('###', text.indexOf('### What tracing costs') + 3));
      expect(section).toContain('| GET plain | 64 |');
      expect(section).not.toContain('| PUT plain |');
      expect(renderResults(results)).not.toContain('What tracing costs');
    });

    it('sets classic and quorum request queues side by side, with the change of requests/s and of CPU per request', () => {
      const cost = (total: number, rabbitmq: number) => ({ cpuMsPerRequest: { total, rabbitmq } });
      const text = renderResults({
        ...results,
        requestQueues: [
          m(requestQueueName(Scenario.GET_PLAIN, 'classic'), 64, 2000, cost(1, 0.2)),
          m(requestQueueName(Scenario.GET_PLAIN, 'quorum'), 64, 1500, { ...cost(1.25, 0.45), p99Ms: 30 }),
          m(requestQueueName(Scenario.PUT_PLAIN, 'classic'), 64, 600, { non2xx: 1 }),
        ],
      });
      expect(text).toContain('### Request queues: classic and quorum');
      expect(text).toContain('| GET plain | 64 | 2000 → 1500 | -25% | 20.000 → 30.000 | 1.000 → 1.250 | +25% | 0.200 → 0.450 | 0, 0 |');
      // A scenario measured on one platform only has no row.
      expect(text).not.toContain('| PUT plain | 64 | 600');
      expect(renderResults(results)).not.toContain('Request queues');
    });

    it('leaves the CPU table out when nothing was measured', () => {
      expect(renderResults(results)).not.toContain('### CPU per request');
    });

    describe('watch fan-out', () => {
      const watch = aWatchFanOut();

      it('tabulates delivery, last-watcher and PUT latency, memory per watcher, and the open watches, between its markers', () => {
        const text = renderWatchFanOut(results.meta, watch);
        expect(text.startsWith(WATCH_START_MARKER)).toBe(true);
        expect(text.endsWith(WATCH_END_MARKER)).toBe(true);
        expect(text).toContain('| Delivery (each watcher, each write) | 20000 | 31.0 | 88.4 | 101.2 |');
        expect(text).toContain('| Until the last watcher has it (each write) | 20 | 45.3 | 101.2 | 101.2 |');
        expect(text).toContain('| PUT | 20 | 10.8 | 20.4 | 20.4 |');
        expect(text).toContain('| RSS | 100 MB | 124 MB | 24.6 KB | 122 MB |');
        expect(text).toContain('| V8 heap used | 30 MB | 50 MB | 20.5 KB | 42 MB |');
        expect(text).toContain("forced over the gateway's inspector");
        expect(text).toContain('Deliveries missed: 0; streams the gateway ended before the bench closed them: 0.');
        expect(text).toContain('1000 with every watcher open; 0 within 150 ms of the bench closing them all.');
      });

      it('sets misses and watches still counted in bold, and says what it could not measure', () => {
        const text = renderWatchFanOut(results.meta, {
          ...watch,
          missed: 4,
          memory: undefined,
          watchesOpen: { open: 1000, afterClose: 3, afterCloseMs: 10_000 },
        });
        expect(text).toContain('Deliveries missed: **4**;');
        expect(text).toContain('still **3** 10000 ms after the bench closed them all.');
        expect(text).toContain('Gateway memory: not measured');
        const unforced = renderWatchFanOut(results.meta, { ...watch, memory: { ...watch.memory!, gcForced: false } });
        expect(unforced).toContain('with no garbage collection forced');
      });

      it('replaces its own part, else goes right after the results, else at the end', () => {
        const generated = `${START_MARKER}\nrun\n${END_MARKER}`;
        const placed = spliceWatch(`# T\n\n${generated}\n\n## Where the time goes\nkept\n`, 'W1');
        expect(placed).toBe(`# T\n\n${generated}\n\nW1\n\n## Where the time goes\nkept\n`);
        const existing = `# T\n\n${generated}\n\n${WATCH_START_MARKER}\nold\n${WATCH_END_MARKER}\n\n## Where\n`;
        expect(spliceWatch(existing, 'W2')).toBe(`# T\n\n${generated}\n\nW2\n\n## Where\n`);
        expect(spliceWatch('# T\nno markers\n\n', 'W3')).toBe('# T\nno markers\n\nW3\n');
      });
    });

    it('replaces only the generated part of an existing document', () => {
      const existing = `# Title\n\n${START_MARKER}\nold\n${END_MARKER}\n\n## Where the time goes\nkept\n`;
      expect(spliceGenerated(existing, 'NEW', () => 'skeleton')).toBe('# Title\n\nNEW\n\n## Where the time goes\nkept\n');
      expect(spliceGenerated(undefined, 'NEW', (g) => `# T\n${g}`)).toBe('# T\nNEW');
      expect(spliceGenerated('no markers', 'NEW', (g) => `# T\n${g}`)).toBe('# T\nNEW');
    });
  });
});
