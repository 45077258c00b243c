#!/usr/bin/env node
/** `kv`: the KV Service command line (see `kv --help` and README, "Command line"). */
import { failureOf } from './failure';
import { note } from './output';
import { buildProgram } from './program';

async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    const failure = failureOf(error);
    if (failure.message !== undefined) note(failure.message);
    process.exitCode = failure.code;
  }
}

void main();
