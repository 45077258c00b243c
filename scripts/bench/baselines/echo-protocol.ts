/** What the echo front and the echo server agree on. */
export const ECHO_QUEUE = 'bench-echo';
export const ECHO_PATTERN = 'bench.echo';
