import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, usesJavaScript, signIn } from './fixtures';

/**
 * Every route, as each audience reaches it, on a 390 × 844 phone: no page
 * scrolls sideways, and (with JavaScript, once hydrated: axe runs scripts)
 * axe finds no WCAG 2.1 A or AA violation.
 */

const PHONE = { width: 390, height: 844 };

/** The administrators scripts/test.sh creates for this spec, one per project. */
const adminEmail = (project: string) => `admin.pages-${project}@exemple.fr`;
const ADMIN_PASSWORD = 'une phrase de passe pour les tests';

async function check(page: Page, path: string, js: boolean) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(path.includes('n-existe-pas') ? 500 : 400);
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  expect(scroll, `${path} is ${scroll} px wide on a ${width} px screen`).toBeLessThanOrEqual(width);
  if (!js) return;
  // Every page names itself (hydration keeps the server's title).
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.help}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`,
  );
  expect(found, `axe on ${path}`).toEqual([]);
}

/** The first link of `path` whose address starts with `prefix` (and is not `skip`). */
async function firstLink(page: Page, path: string, prefix: string, skip: RegExp = /^$/): Promise<string> {
  await page.goto(path);
  const hrefs = await page
    .locator(`main a[href^="${prefix}"]`)
    .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  const found = hrefs.find((h) => h.length > prefix.length && !skip.test(h) && !h.includes('?'));
  expect(found, `a link to ${prefix}… on ${path}`).toBeTruthy();
  return found!;
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize(PHONE);
});

test('public pages fit a phone and pass axe', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const js = usesJavaScript(testInfo.project.name);
  const pages = [
    '/',
    '/formations',
    '/formations?q=developpeur',
    '/offres',
    '/offres?q=soudeur',
    '/centres',
    '/entreprises',
    '/blog',
    '/connexion',
    '/inscription',
    '/mot-de-passe-oublie',
    '/mentions-legales',
    '/confidentialite',
    '/accessibilite',
    '/cette-page-n-existe-pas',
    // The demo company's page has photos.
    '/entreprises/atelier-rhone-industrie',
  ];
  pages.push(await firstLink(page, '/formations', '/formations/'));
  pages.push(await firstLink(page, '/offres', '/offres/'));
  pages.push(await firstLink(page, '/centres', '/centres/'));
  pages.push(await firstLink(page, '/entreprises', '/entreprises/'));
  pages.push(await firstLink(page, '/blog', '/blog/', /\/(categorie|tag)\/|\.xml$/));
  pages.push(await firstLink(page, '/blog', '/blog/categorie/'));
  for (const path of pages) await check(page, path, js);
});

for (const [audience, email, paths, lists] of [
  [
    'a candidate',
    'camille.martin@demo.passerelle.fr',
    [
      '/tableau-de-bord', '/tableau-de-bord/candidatures', '/tableau-de-bord/profil', '/tableau-de-bord/inscriptions', '/tableau-de-bord/alertes', '/compte',
      // The demo app's consent page (`passerelle seed --demo`).
      '/oauth/autoriser?response_type=code&client_id=pa_d3e0d3e0d3e0d3e0d3e0d3e0d3e0d3e0&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fretour&scope=profil+candidatures+favoris+alertes&state=axe&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
    ],
    [],
  ],
  [
    'a recruiter',
    'recrutement@demo.passerelle.fr',
    ['/tableau-de-bord', '/tableau-de-bord/offres', '/tableau-de-bord/offres/nouvelle', '/tableau-de-bord/candidatures-recues', '/tableau-de-bord/entreprise', '/tableau-de-bord/entreprise/api', '/compte'],
    [['/tableau-de-bord/offres', '/tableau-de-bord/offres/']],
  ],
  [
    'a training centre',
    'formation@demo.passerelle.fr',
    ['/tableau-de-bord', '/tableau-de-bord/formations', '/tableau-de-bord/formations/nouvelle', '/tableau-de-bord/demandes', '/tableau-de-bord/centre', '/compte'],
    [['/tableau-de-bord/formations', '/tableau-de-bord/formations/']],
  ],
] as const) {
  test(`${audience}'s pages fit a phone and pass axe`, async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    const js = usesJavaScript(testInfo.project.name);
    await signIn(page, email, '/compte');
    const all: string[] = [...paths];
    for (const [list, prefix] of lists) all.push(await firstLink(page, list, prefix, /nouve(lle|au)$/));
    for (const path of all) await check(page, path, js);
  });
}

test("an administrator's pages fit a phone and pass axe", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const { TOTP } = await import('otpauth');
  const js = usesJavaScript(testInfo.project.name);
  // The second factor first: this spec's administrator enrols it here.
  await page.goto('/connexion');
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  await page.getByLabel('Adresse e-mail').fill(adminEmail(testInfo.project.name));
  await page.getByLabel('Mot de passe').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/compte\/double-authentification/);
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  await check(page, '/compte/double-authentification', js);
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await page.getByLabel('Code à 6 chiffres').fill(new TOTP({ secret, digits: 6, period: 30 }).generate());
  await page.getByLabel('Mot de passe actuel').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Activer' }).click();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  const all = [
    '/admin',
    '/admin/utilisateurs',
    '/admin/organisations',
    '/admin/contenus',
    '/admin/signalements',
    '/admin/taches',
    '/admin/newsletter',
    '/admin/journal',
    '/admin/applications',
    // Administrators write on the blog too (editors' accounts need a second
    // factor, enrolled once: the demo editor's would not last two runs).
    '/tableau-de-bord/blog',
    '/tableau-de-bord/blog/nouveau',
    '/compte',
  ];
  all.push(await firstLink(page, '/admin/utilisateurs', '/admin/utilisateurs/'));
  all.push(await firstLink(page, '/admin/organisations', '/admin/organisations/'));
  all.push(await firstLink(page, '/tableau-de-bord/blog', '/tableau-de-bord/blog/', /nouveau$/));
  for (const path of all) await check(page, path, js);
});
