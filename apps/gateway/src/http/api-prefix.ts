/** Every route of the gateway is under this prefix (Nest's global prefix, without slashes). */
export const API_PREFIX = 'api/v1/kv';
