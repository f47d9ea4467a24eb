import { test as base, expect } from '@playwright/test';

type Fixtures = {
  /** Console messages a test expects (e.g. the browser's log line for a 422 it provokes). */
  expectedConsoleErrors: RegExp[];
  consoleErrors: string[];
};

/** Fails any test during which the browser console logged an unexpected error. */
export const test = base.extend<Fixtures>({
  expectedConsoleErrors: [[], { option: true }],
  consoleErrors: [
    async ({ page, expectedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        // The document's own status (a 404 page) is not a script error.
        if (text.startsWith('Failed to load resource') && message.location().url === page.url()) return;
        if (expectedConsoleErrors.some((pattern) => pattern.test(text))) return;
        errors.push(text);
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await use(errors);
      expect(errors, 'browser console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export const usesJavaScript = (projectName: string) => projectName === 'js';

/** An address no other test or run has used. */
export const uniqueEmail = () =>
  `e2e.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@exemple.fr`;
