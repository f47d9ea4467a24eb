import { test, expect, usesJavaScript } from './fixtures';
import type { Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

// The WebAssembly is split per route (`cargo leptos build --split`, lazy
// routes in app/src/app.rs): public pages must not download dashboard code,
// and dashboards must still hydrate and work with theirs.

const DEMO_PASSWORD = 'passerelle-demo-2026';
const RECRUITER = 'recrutement@demo.passerelle.fr';

/** Split points (areas in app/src/app.rs) of the pages anyone can open… */
const PUBLIC_AREAS = ['search_area', 'detail_area', 'content_area', 'sign_in_area'];
/** …and of the pages behind a sign-in. */
const PRIVATE_AREAS = ['candidate_area', 'centre_area', 'company_area', 'editor_area', 'admin_area', 'account_area'];

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

test('public pages hydrate without fetching any dashboard chunk', async ({ page }, testInfo) => {
  test.skip(!usesJavaScript(testInfo.project.name), 'no WebAssembly without JavaScript');
  const chunks = manifest();
  const publicRoutes: Record<string, string> = {
    '/': 'content_area', '/offres': 'search_area', '/formations': 'search_area', '/blog': 'content_area',
    '/entreprises/atelier-rhone-industrie': 'detail_area', '/connexion': 'sign_in_area',
  };
  const publicChunks = new Set(PUBLIC_AREAS.flatMap((a) => chunksOf(chunks, a)));
  // Chunks only dashboards use (shared helpers may also serve public pages).
  const privateOnly = new Set(
    PRIVATE_AREAS.flatMap((a) => chunksOf(chunks, a)).filter((c) => !publicChunks.has(c)),
  );
  expect(privateOnly.size).toBeGreaterThan(0);
  for (const [path, area] of Object.entries(publicRoutes)) {
    const fetched = recordWasm(page);
    await page.goto(path);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
    await expect(page.locator('h1')).toHaveCount(1);
    for (const chunk of chunksOf(chunks, area)) expect(fetched, `${path} loads its own code`).toContain(chunk);
    expect(fetched.filter((c) => privateOnly.has(c)), `${path} fetched dashboard code`).toEqual([]);
    page.removeAllListeners('request');
  }
});

test("a dashboard loads its chunks and hydrates; another area's code arrives when it is opened", async ({ page }, testInfo) => {
  test.skip(!usesJavaScript(testInfo.project.name), 'no WebAssembly without JavaScript');
  const chunks = manifest();
  const fetched = recordWasm(page);
  await page.goto(`/connexion?suivant=${encodeURIComponent('/tableau-de-bord/offres')}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  await page.getByLabel('Adresse e-mail').fill(RECRUITER);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/tableau-de-bord\/offres$/);
  await expect(page.getByRole('heading', { level: 1, name: "Mes offres d'emploi" })).toBeVisible();
  for (const chunk of chunksOf(chunks, 'company_area')) expect(fetched).toContain(chunk);
  // The account area was never opened: the code only it uses is not here yet.
  const seen = new Set(['sign_in_area', 'company_area'].flatMap((a) => chunksOf(chunks, a)));
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
