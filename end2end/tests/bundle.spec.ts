import { test, expect, usesJavaScript, signIn } from './fixtures';
import type { Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

// Public pages are complete as the server renders them and load no
// WebAssembly (`app::hydrates` in app/src/app.rs); the pages behind sign-in
// hydrate, with the WebAssembly split per area (`cargo leptos build --split`):
// a dashboard loads its own code and another area's arrives when opened.

const RECRUITER = 'recrutement@demo.passerelle.fr';

type Manifest = Record<string, string[]>;

/** The chunks the manifest lists for one area (its key ends with a hash). */
function chunksOf(manifest: Manifest, area: string): string[] {
  const key = new RegExp(`^${area}_\\d+$`);
  const keys = Object.keys(manifest).filter((k) => key.test(k));
  expect(keys, `manifest entry of ${area}`).toHaveLength(1);
  return manifest[keys[0]];
}

/** Records the WebAssembly files the page fetches, by name without `.wasm`. */
function recordWasm(page: Page): string[] {
  const fetched: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) fetched.push(path.split('/').pop()!.replace(/\.wasm$/, ''));
  });
  return fetched;
}

/** The split manifest the server reads (hashed name, in the site's pkg directory). */
function manifest(): Manifest {
  const dir = path.join(process.env.SITE_ROOT ?? 'target/site', 'pkg');
  const name = fs.readdirSync(dir).find((n) => /^__wasm_split_manifest.*\.json$/.test(n));
  expect(name, `split manifest in ${dir}`).toBeTruthy();
  return JSON.parse(fs.readFileSync(path.join(dir, name!), 'utf8'));
}

test('public pages download no WebAssembly, only their small enhancement script', async ({ page }, testInfo) => {
  test.skip(!usesJavaScript(testInfo.project.name), 'no script runs without JavaScript');
  const publicRoutes = [
    '/', '/offres', '/offres?contrat=cdi', '/formations', '/blog', '/entreprises/atelier-rhone-industrie',
    '/centres/institut-lumiere-formation', '/connexion', '/inscription',
  ];
  for (const path of publicRoutes) {
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (['script', 'fetch'].includes(request.resourceType()) || request.url().endsWith('.wasm')) scripts.push(request.url());
    });
    await page.goto(path);
    // The enhancement script ran…
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(page.locator('h1')).toHaveCount(1);
    // …and nothing else was fetched to make the page work: one file named
    // after its content (kept a year by the browser), no WebAssembly.
    expect(scripts.length, `${path} fetched ${scripts}`).toBeLessThanOrEqual(1);
    for (const url of scripts) expect(url, `${path} fetched code`).toMatch(/\/scripts\/enhance-[0-9a-f]{16}\.js$/);
    page.removeAllListeners('request');
  }
});

test('a public search page suggests communes without WebAssembly', async ({ page }, testInfo) => {
  test.skip(!usesJavaScript(testInfo.project.name), 'the enhancement script needs JavaScript');
  await page.goto('/offres');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const suggestions = page.waitForResponse((r) => r.url().includes('/api/communes?q=') && r.ok());
  await page.getByLabel('Près de').pressSequentially('Lyo');
  await suggestions;
  const options = page.locator('#champ-lieu-suggestions option');
  await expect(options.first()).toHaveAttribute('value', /^Lyon \(69\d{3}\)$/);
});

test("a dashboard loads its chunks and hydrates; another area's code arrives when it is opened", async ({ page }, testInfo) => {
  test.skip(!usesJavaScript(testInfo.project.name), 'no WebAssembly without JavaScript');
  const chunks = manifest();
  const fetched = recordWasm(page);
  await signIn(page, RECRUITER, '/tableau-de-bord/offres');
  await expect(page.getByRole('heading', { level: 1, name: "Mes offres d'emploi" })).toBeVisible();
  // Sign-in posted without hydration: the dashboard is a new document, which hydrates.
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  for (const chunk of chunksOf(chunks, 'company_area')) expect(fetched).toContain(chunk);
  // The account area was never opened: the code only it uses is not here yet.
  const seen = new Set(chunksOf(chunks, 'company_area'));
  const accountOnly = chunksOf(chunks, 'account_area').filter((c) => !seen.has(c));
  expect(accountOnly.length).toBeGreaterThan(0);
  for (const chunk of accountOnly) expect(fetched).not.toContain(chunk);
  // Opening it fetches that code, and the page works: its profile form saves.
  await page.getByRole('link', { name: /Mon compte/ }).click();
  await expect(page).toHaveURL(/\/compte$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Mon compte' })).toBeVisible();
  for (const chunk of accountOnly) expect(fetched).toContain(chunk);
  await page.getByRole('button', { name: 'Enregistrer' }).first().click();
  await expect(page.getByText('Profil enregistré.')).toBeVisible();
});
