/**
 * A minimal client of a Node process's inspector (the DevTools protocol over the WebSocket that `--inspect` opens):
 * one call at a time is all the bench needs (a CPU profile, a forced garbage collection).
 */
import { readFileSync } from 'node:fs';

export interface DevtoolsSession {
  call: (method: string, params?: object) => Promise<any>;
  close: () => void;
}

export async function devtools(url: string): Promise<DevtoolsSession> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let nextId = 0;
  const pending = new Map<number, (result: any) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  };
  return {
    call: (method, params = {}) =>
      new Promise((resolve) => {
        const id = ++nextId;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

/** The inspector's WebSocket URL, from the log of a process started with `--inspect=127.0.0.1:0` (it picks its port). */
export function inspectorUrl(logFile: string): string {
  const match = /Debugger listening on (ws:\/\/\S+)/.exec(readFileSync(logFile, 'utf8'));
  if (!match) throw new Error(`no inspector URL in ${logFile}`);
  return match[1];
}
