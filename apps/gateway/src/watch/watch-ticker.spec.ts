import { EXPIRY_TICK_MS, TickedWatch, WatchTicker } from './watch-ticker';

/** A watch as the ticker sees it: its heartbeats, and whether it ended (which takes it out of the ticker, as a watch does). */
class TickedStandIn implements TickedWatch {
  beats = 0;
  expired = false;
  constructor(
    private readonly ticker: WatchTicker,
    readonly expiresAt: number,
  ) {
    ticker.add(this);
  }
  heartbeat(): void {
    this.beats += 1;
  }
  expire(): void {
    this.expired = true;
    this.ticker.delete(this);
  }
}

describe('WatchTicker', () => {
  let ticker: WatchTicker;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    ticker = new WatchTicker(15_000);
  });

  afterEach(() => {
    ticker.stop();
    jest.useRealTimers();
  });

  it('ends the watches whose token expired by now, and no other; each once', () => {
    const watches = [999_000, 1_000_000, 1_000_001, 2_000_000].map((expiresAt) => new TickedStandIn(ticker, expiresAt));
    ticker.expire(1_000_000);
    expect(watches.map((watch) => watch.expired)).toEqual([true, true, false, false]);
    watches[0]!.expired = false;
    ticker.expire(1_000_001);
    expect(watches.map((watch) => watch.expired)).toEqual([false, true, true, false]);
  });

  it('sends every watch its heartbeat, and none to a watch taken out', () => {
    const [kept, gone] = [new TickedStandIn(ticker, Infinity), new TickedStandIn(ticker, Infinity)];
    ticker.delete(gone);
    ticker.beat();
    expect([kept.beats, gone.beats]).toEqual([1, 0]);
  });

  it('once started, beats each heartbeat interval and ends an expired watch within a tick of its expiry; stopped, does nothing', () => {
    ticker.start();
    const watch = new TickedStandIn(ticker, Date.now() + 2_500);
    jest.advanceTimersByTime(2_000);
    expect(watch.expired).toBe(false);
    jest.advanceTimersByTime(EXPIRY_TICK_MS);
    expect(watch.expired).toBe(true);

    const quiet = new TickedStandIn(ticker, Infinity);
    jest.advanceTimersByTime(30_000 - 3_000);
    expect(quiet.beats).toBe(2);
    ticker.stop();
    jest.advanceTimersByTime(60_000);
    expect(quiet.beats).toBe(2);
  });
});
