import { RUN_SIGNALS, signalRouting } from './signal-routing';

describe('signalRouting', () => {
  it('sends every signal on when standard input is not a terminal', () => {
    for (const signal of RUN_SIGNALS) expect(signalRouting(signal, false).send).toBe(true);
  });

  it("on a terminal, leaves the keyboard's and the resize's to the terminal, which sends them to the command itself", () => {
    const sent = RUN_SIGNALS.filter((signal) => signalRouting(signal, true).send);
    expect(sent).toEqual(['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2']);
  });

  it('takes INT, TERM, HUP and QUIT as ending the command, the others not', () => {
    const ending = RUN_SIGNALS.filter((signal) => signalRouting(signal, false).ends);
    expect(ending).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']);
    expect(signalRouting('SIGINT', true)).toEqual({ send: false, ends: true });
  });
});
