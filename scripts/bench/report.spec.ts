import {
  END_MARKER,
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
  failed,
  Measurement,
  ProcessPeak,
  ratio,
  requestQueueName,
  Scenario,
  storageBaselineOf,
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

  it('passes every target at their thresholds', () => {
    const targets = evaluateTargets(passing, baselines, platform(250 * MB));
    expect(targets.map((t) => t.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS']);
    expect(targets[3].actual).toBe('20.0x (2000 req/s)');
  });

  it('misses each target just past its threshold', () => {
    const missing = [
      m(Scenario.GET_PLAIN, 64, 1999),
      m(Scenario.GET_SECRET, 64, 1699),
      m(Scenario.PUT_PLAIN, 64, 1399),
      m(Scenario.BULK_GET, 64, 399),
    ];
    const targets = evaluateTargets(missing, baselines, platform(250 * MB + 1));
    expect(targets.map((t) => t.status)).toEqual(['MISS', 'MISS', 'MISS', 'MISS', 'MISS']);
  });

  it('judges each scenario against the mean of its reference measured right before and after it', () => {
    const beside = [
      m(besideName(Baseline.ECHO, Scenario.GET_PLAIN, 'before'), 64, 3000),
      m(besideName(Baseline.ECHO, Scenario.GET_PLAIN, 'after'), 64, 5000),
      m(besideName(Baseline.ECHO, Scenario.PUT_PLAIN, 'before'), 64, 2000),
      m(besideName(Baseline.ECHO, Scenario.PUT_PLAIN, 'after'), 64, 2000),
      m(besideName(Scenario.GET_PLAIN, Scenario.GET_SECRET, 'before'), 64, 1500),
      m(besideName(Scenario.GET_PLAIN, Scenario.GET_SECRET, 'after'), 64, 2500),
      m(besideName(Scenario.GET_PLAIN, Scenario.BULK_GET, 'before'), 64, 1000),
      m(besideName(Scenario.GET_PLAIN, Scenario.BULK_GET, 'after'), 64, 1000),
    ];
    expect(echoFor(beside, baselines, Scenario.GET_PLAIN, 64)?.perSecond).toBe(4000);
    expect(echoFor(beside, baselines, Scenario.PUT_PLAIN, 64)?.perSecond).toBe(2000);
    // Nothing beside it: the reference in its own turn; nowhere: nothing to judge against.
    expect(echoFor(beside, baselines, Scenario.GET_SECRET, 64)?.perSecond).toBe(4000);
    expect(echoFor([], [], Scenario.GET_PLAIN, 64)).toBeUndefined();
    const scenarios = [...passing.filter((s) => s.name !== Scenario.GET_PLAIN), m(Scenario.GET_PLAIN, 64, 1999)];
    const targets = evaluateTargets(scenarios, baselines, platform(MB), beside);
    expect(targets[0]).toMatchObject({ status: 'MISS', actual: expect.stringMatching(/^49% of echo \(4000 req\/s, measured beside it\)/) });
    // GET secret 1800 is 90% of GET plain in its own turn (1999), and 90% of the 2000 beside it too.
    expect(targets[1]).toMatchObject({ status: 'PASS', actual: '90% of GET plain (2000 req/s, measured beside it)' });
    // PUT plain 1400 would pass against the first echo (35% of 4000); it is 70% of the slower echo beside it.
    expect(targets[2]).toMatchObject({ status: 'PASS', actual: '70% of echo (2000 req/s, measured beside it)' });
    // bulk get 400 is 40x the 1000 GET plain beside it (20.0x of the 1999 in its own turn).
    expect(targets[3]).toMatchObject({ status: 'PASS', actual: '40.0x (1000 req/s, measured beside it)' });
    const onlyBefore = [m(besideName(Baseline.ECHO, Scenario.PUT_PLAIN, 'before'), 64, 5000)];
    expect(evaluateTargets(passing, baselines, platform(MB), onlyBefore)[2]).toMatchObject({
      status: 'MISS',
      actual: '28% of echo (5000 req/s, measured beside it)',
    });
  });

  it('misses GET plain on its p99 alone', () => {
    const slow = passing.map((s) => (s.name === Scenario.GET_PLAIN ? { ...s, p99Ms: 50 } : s));
    expect(evaluateTargets(slow, baselines, platform(MB))[0].status).toBe('MISS');
  });

  it('judges only at the target connection count, and says what is missing', () => {
    const at16 = passing.map((s) => ({ ...s, connections: 16 }));
    const targets = evaluateTargets(at16, baselines, platform(undefined));
    expect(targets.every((t) => t.status === 'n/a')).toBe(true);
    expect(targets[4].actual).toMatch(/not started by the bench/);
  });

  it('ignores the baseline processes for the memory target', () => {
    const processes = [...platform(100 * MB), { process: 'echo-server', peakRssBytes: 900 * MB, platform: false }];
    expect(evaluateTargets(passing, baselines, processes)[4]).toMatchObject({ status: 'PASS', actual: 'largest gateway 100 MB' });
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
      targets: evaluateTargets(passing, baselines, platform(100 * MB)),
    };

    it('shows ratios to the baselines, keys/s of bulk calls, and failures in bold', () => {
      const text = renderResults(results);
      expect(text).toContain('| GET plain | 64 | 2000 | 5.0 | 20.0 | 0 | 50% | 10% | – |');
      expect(text).toContain('400 (40000 keys/s)');
      expect(text).toContain('| PUT secret | 64 | 10 | 5.0 | 20.0 | **2** |');
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
      expect(text).toContain('| GET plain | 64 | 2000 → 1500 | -25% | 20.0 → 30.0 | 1.000 → 1.250 | +25% | 0.200 → 0.450 | 0, 0 |');
      // A scenario measured on one platform only has no row.
      expect(text).not.toContain('| PUT plain | 64 | 600');
      expect(renderResults(results)).not.toContain('Request queues');
    });

    it('leaves the CPU table out when nothing was measured', () => {
      expect(renderResults(results)).not.toContain('CPU per request');
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
