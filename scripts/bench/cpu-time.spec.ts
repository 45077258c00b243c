import { cpuMsPerRequest, cpuSecondsOfStat, sampleCpu } from './cpu-time';

describe('cpu time per request', () => {
  it('reads utime + stime from a stat line whose command name has spaces and parentheses', () => {
    // Fields after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    const stat = '4242 (node (gateway) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 11 0';
    expect(cpuSecondsOfStat(stat)).toBeCloseTo(3.25);
  });

  it('gives undefined for a truncated stat line', () => {
    expect(cpuSecondsOfStat('4242 (node) S 1')).toBeUndefined();
  });

  it('divides each group by the requests and adds a total, skipping groups missing at the start', () => {
    const cost = cpuMsPerRequest({ gateway: 10, postgres: 4 }, { gateway: 12, postgres: 5, audit: 3 }, 1000);
    expect(cost).toEqual({ gateway: 2, postgres: 1, total: 3 });
  });

  it('sums the processes of a server group that lived through both samples', () => {
    const cost = cpuMsPerRequest(
      { 'postgres#1': 1, 'postgres#2': 5, 'postgres#3': 9 },
      { 'postgres#1': 2, 'postgres#2': 6, 'postgres#4': 1 },
      1000,
    );
    expect(cost).toEqual({ postgres: 2, total: 2 });
  });

  it('gives nothing when no request was made', () => {
    expect(cpuMsPerRequest({ gateway: 1 }, { gateway: 2 }, 0)).toEqual({});
  });

  it('samples a live process of ours and the load generator', () => {
    const sample = sampleCpu(new Map([['self', process.pid]]));
    expect(sample.self).toBeGreaterThan(0);
    expect(sample['load generator']).toBeGreaterThan(0);
  });
});
