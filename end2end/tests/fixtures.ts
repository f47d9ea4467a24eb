import { test as base, expect } from '@playwright/test';

/** Fails any test during which the browser console logged an error. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        // The document's own status (a 404 page) is not a script error.
        if (message.text().startsWith('Failed to load resource') && message.location().url === page.url()) return;
        errors.push(message.text());
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
