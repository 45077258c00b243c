import { createTheme, Modal, type MantineColorSchemeManager } from '@mantine/core';

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

/**
 * Mantine's default theme (its variables ship in styles.css), with every dialog's close button named, and without
 * the scroll lock that injects a <style> element (react-remove-scroll): global.css locks the page instead.
 */
export const theme = createTheme({
  components: {
    Modal: Modal.extend({ defaultProps: { lockScroll: false, closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});
