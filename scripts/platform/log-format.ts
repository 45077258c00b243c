import { prettyFactory } from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';

/**
 * How `npm run up` shows the processes' pino lines: as they are (JSON, for a file or a log shipper),
 * or one readable line each (time, level, process, message) for a person at a terminal. A line that is
 * not JSON (a crash's stack, say) is shown unchanged either way.
 */
export function logLineFormatter(format: LogFormat): (line: string) => string {
  if (format === 'json') return (line) => line;
  const pretty = prettyFactory({
    colorize: Boolean(process.stdout.isTTY),
    translateTime: 'HH:MM:ss.l',
    ignore: 'pid,hostname,name',
    singleLine: true,
  });
  return (line) => (line.startsWith('{') ? pretty(line).trimEnd() : line);
}
