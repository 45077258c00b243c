import { isHealthProbe, isManagementRequest } from './management-paths';

describe('isManagementRequest', () => {
  it('knows the probes of the gateway and of the services, and the scrape', () => {
    for (const url of ['/health/live', '/health/ready', '/api/v1/kv/health/ready', '/metrics', '/metrics?x=1']) {
      expect(isManagementRequest(url)).toBe(true);
    }
  });

  it('takes no API request for one, whatever its query says', () => {
    for (const url of [
      '/api/v1/kv/namespaces',
      '/api/v1/kv/ns/entries/health/live/x',
      '/api/v1/kv/namespaces?next=/health/live',
      '/metrics/x',
    ]) {
      expect(isManagementRequest(url)).toBe(false);
    }
    expect(isHealthProbe('/api/v1/kv/namespaces?next=/health/ready')).toBe(false);
  });
});
