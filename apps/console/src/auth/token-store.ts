/**
 * The access token: in memory, and in this tab's sessionStorage so that a reload keeps the session. Never
 * localStorage, a cookie or a URL (the rule): it goes only into the Authorization header.
 */
const STORAGE_KEY = 'kv-console.access-token';

let current: string | null = null;

export const tokenStore = {
  get(): string | null {
    current ??= sessionStorage.getItem(STORAGE_KEY);
    return current;
  },
  set(token: string): void {
    current = token;
    sessionStorage.setItem(STORAGE_KEY, token);
  },
  clear(): void {
    current = null;
    sessionStorage.removeItem(STORAGE_KEY);
  },
};
