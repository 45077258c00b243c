/** Where each process serves Prometheus metrics (the gateway on a port of its own, a service beside its health). */
export const METRICS_PATH = '/metrics';

const HEALTH_PATH = /\/health\/(live|ready)$/;

/** Whether a request URL is a health probe, by its path alone: a query naming /health must not hide a request. */
export function isHealthProbe(url: string): boolean {
  return HEALTH_PATH.test(url.split('?')[0]!);
}

/** A probe or a scrape: what the kubelet and Prometheus call every few seconds, which neither logs nor traces need. */
export function isManagementRequest(url: string): boolean {
  return isHealthProbe(url) || url.split('?')[0] === METRICS_PATH;
}
