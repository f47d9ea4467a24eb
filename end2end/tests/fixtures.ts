import { test as base, expect, type Page } from '@playwright/test';
import { crc32, deflateSync } from 'node:zlib';

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

/**
 * Opens a search page (`/formations`, `/offres`): checks its status and its
 * `heading`, waits for hydration when the project runs JavaScript, and
 * returns the total of results it announces.
 */
export async function openSearch(page: Page, path: string, heading: string, js: boolean): Promise<number> {
  const response = await page.goto(path);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  return Number(await page.locator('[data-total]').getAttribute('data-total'));
}

/**
 * Clicks `value` in the facet `facet`, expects the URL to match `url`, and
 * the page to hold as many results (`card`, a selector; 20 a page) as the
 * link counted.
 */
export async function pickFacet(page: Page, facet: string, value: string, url: RegExp, card: string) {
  const link = page.locator(`[data-facet="${facet}"] a[data-value="${value}"]`);
  const count = Number(await link.getAttribute('data-count'));
  await link.click();
  await expect(page).toHaveURL(url);
  await expect(page.locator('[data-total]')).toHaveAttribute('data-total', String(count));
  await expect(page.locator(card)).toHaveCount(Math.min(count, 20));
}

/** `text` as a regular expression that matches it to the letter. */
const literally = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/**
 * Searches with the form: `text` in the field labelled `label`, near `place`
 * within `radius` km; expects the URL to carry the text and the place.
 */
export async function searchWithForm(page: Page, label: string, text: string, place: string, radius: string) {
  await page.getByLabel(label).fill(text);
  await page.getByLabel('Près de').fill(place);
  await page.getByLabel('Rayon').selectOption(radius);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(literally(`q=${encodeURIComponent(text)}`));
  await expect(page).toHaveURL(literally(`lieu=${encodeURIComponent(place)}`));
  // No parameter without a name or a value (the submit button once left `&=`).
  expect(new URL(page.url()).search).not.toMatch(/[?&]=|=(&|$)/);
}

/** A shared URL gives the same page to anyone: `path`, opened in a new tab, has a value of `facet` selected. */
export async function expectSharedSelection(page: Page, path: string, facet: string) {
  const shared = await page.context().newPage();
  await shared.goto(path);
  await expect(shared.locator(`[data-facet="${facet}"] a[aria-current="true"]`)).toHaveCount(1);
  await shared.close();
}

/** Signs a demo account in through the form and waits to land on `next`. */
export async function signIn(page: Page, email: string, next: string) {
  await page.goto(`/connexion?suivant=${encodeURIComponent(next)}`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace(/[/?]/g, '\\$&')}$`));
}

/**
 * A `width` × `height` PNG of two colours (`seed` picks them), made here so
 * that upload tests need no page script to draw one.
 */
export function png(width: number, height: number, seed: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const top = y < height / 2;
      row[1 + x * 3] = top ? (seed * 37) % 256 : 240;
      row[2 + x * 3] = top ? (seed * 91) % 256 : (x * 255) / width;
      row[3 + x * 3] = top ? 200 : (seed * 53) % 256;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
