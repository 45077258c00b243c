import type { MantineColorSchemeManager } from '@mantine/core';

/** Where the gateway serves the console (Vite's `base`, without its trailing slash). */
export const CONSOLE_BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

/** The system's scheme, always: nothing is remembered (Mantine's default manager writes to localStorage). */
export const systemColorScheme: MantineColorSchemeManager = {
  get: (defaultValue) => defaultValue,
  set: () => undefined,
  subscribe: () => undefined,
  unsubscribe: () => undefined,
  clear: () => undefined,
};
