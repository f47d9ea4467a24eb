import { test as base, expect, type Page } from '@playwright/test';

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

/** The password of every demo account (`passerelle seed --demo`). */
export const DEMO_PASSWORD = 'passerelle-demo-2026';

/** Signs a demo account in through the form and waits to land on `next`. */
export async function signIn(page: Page, email: string, next: string) {
  await page.goto(`/connexion?suivant=${encodeURIComponent(next)}`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace(/[/?]/g, '\\$&')}$`));
}
