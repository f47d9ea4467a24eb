import { test, expect, usesJavaScript, openSearch, signIn, png } from './fixtures';

const RECRUITER = 'recrutement@demo.passerelle.fr';

test('the company directory: header link, search without accents, région filter, pages', async ({ page }, testInfo) => {
  const js = usesJavaScript(testInfo.project.name);
  // The header leads there (desktop width: the main navigation is shown).
  await page.goto('/');
  await page.getByRole('banner').getByRole('link', { name: 'Entreprises', exact: true }).first().click();
  await expect(page).toHaveURL(/\/entreprises$/);

  // About twenty demo companies: two pages of 20.
  const total = await openSearch(page, '/entreprises', 'Entreprises', js);
  expect(total).toBeGreaterThan(20);
  await expect(page.locator('[data-organisation-card]')).toHaveCount(20);
  const pager = page.getByRole('navigation', { name: 'Pagination' });
  await pager.getByRole('link', { name: /Page suivante/ }).click();
  await expect(page).toHaveURL(/\/entreprises\?page=2$/);
  // Read again: another spec may approve or suspend a company meanwhile.
  const now = Number(await page.locator('[data-total]').getAttribute('data-total'));
  expect(await page.locator('[data-organisation-card]').count()).toBe(Math.min(now - 20, 20));

  // Words without their accents find the name.
  await page.getByLabel("Nom de l'entreprise ou mot-clé").fill('studio canopee');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/q=studio\+canopee/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Entreprises « studio canopee »');
  await expect(page.locator('[data-total]')).toHaveAttribute('data-total', '1');
  const card = page.locator('[data-organisation-card]').first();
  await expect(card.getByRole('link')).toHaveText('Studio Canopée');
  await expect(card).toContainText('Île-de-France');
  await expect(card).toContainText(/offres? en ligne|Aucune offre en ligne/);

  // A région, from the list; the URL carries it and can be shared.
  await page.getByLabel("Nom de l'entreprise ou mot-clé").fill('');
  await page.getByLabel('Région').selectOption({ label: 'Bretagne' });
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/region=53/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Entreprises en région Bretagne');
  await expect(page.getByRole('status').first()).toContainText(/\d+ entreprises?/);
  await expect(page.locator('[data-organisation-card]', { hasText: "Maisons d'Armor Immobilier" })).toHaveCount(1);
  await expect(page.locator('[data-organisation-card]', { hasText: 'Atelier Rhône Industrie' })).toHaveCount(0);
  const shared = await page.context().newPage();
  await shared.goto('/entreprises?region=53');
  await expect(shared.getByLabel('Région')).toHaveValue('53');
  await shared.close();

  // A company's card opens its page.
  await page.locator('[data-organisation-card]', { hasText: "Maisons d'Armor Immobilier" }).getByRole('link').click();
  await expect(page).toHaveURL(/\/entreprises\/[a-z0-9-]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Maisons d'Armor Immobilier");
});

test('the centre directory leaves out a centre waiting for approval', async ({ page }) => {
  const response = await page.goto('/centres?q=competences+bretagne');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Centres de formation « competences bretagne »');
  await expect(page.getByRole('status').first()).toHaveText('Aucun centre ne correspond.');
  await page.getByRole('link', { name: 'Voir tous les centres' }).click();
  await expect(page).toHaveURL(/\/centres$/);
  await expect(page.locator('[data-organisation-card]')).toHaveCount(20);
  await page.goto('/centres?q=institut+lumiere');
  await expect(page.locator('[data-organisation-card]', { hasText: 'Institut Lumière Formation' })).toHaveCount(1);
});

test('opened from a dashboard, the hydrated app searches the directory in place', async ({ page }, testInfo) => {
  test.skip(!usesJavaScript(testInfo.project.name), 'hydration needs JavaScript');
  await signIn(page, RECRUITER, '/tableau-de-bord/offres');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  await page.getByRole('banner').getByRole('link', { name: 'Entreprises', exact: true }).first().click();
  await expect(page).toHaveURL(/\/entreprises$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Entreprises');
  await page.getByLabel('Région').selectOption({ label: 'Auvergne-Rhône-Alpes' });
  await page.getByLabel("Nom de l'entreprise ou mot-clé").fill('atelier rhone');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/q=atelier\+rhone/);
  await expect(page).toHaveURL(/region=84/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Entreprises « atelier rhone » en région Auvergne-Rhône-Alpes');
  await expect(page.locator('[data-organisation-card]', { hasText: 'Atelier Rhône Industrie' })).toHaveCount(1);
});

test('a recruiter adds a photo and a video link to the company page, then removes the photo', async ({ page }, testInfo) => {
  const js = usesJavaScript(testInfo.project.name);
  const hydrated = async () => {
    if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  };
  // Both projects share the demo company: each adds and removes its own photo.
  const alt = `La chaîne de montage vue par le test ${testInfo.project.name}`;
  await signIn(page, RECRUITER, '/tableau-de-bord/entreprise');
  await hydrated();
  await page.getByLabel('Description de la photo').fill(alt);
  await page.getByLabel(/^Photo \(JPEG/).setInputFiles({ name: 'chaine.png', mimeType: 'image/png', buffer: png(640, 480, testInfo.workerIndex + 3) });
  await page.getByRole('button', { name: 'Ajouter la photo' }).click();
  await expect(page).toHaveURL(/\/tableau-de-bord\/entreprise#photos$/);
  await hydrated();
  await expect(page.locator('[data-photo]', { hasText: alt })).toHaveCount(1);
  // A photo without its description is refused on the field, nothing added.
  await page.getByLabel(/^Photo \(JPEG/).setInputFiles({ name: 'sans.png', mimeType: 'image/png', buffer: png(64, 48, 9) });
  await page.getByLabel('Description de la photo').fill(' ');
  await page.getByRole('button', { name: 'Ajouter la photo' }).click();
  await expect(page.getByText('Décrivez la photo en quelques mots')).toBeVisible();
  await hydrated();

  // The video link is a field of the profile.
  await page.getByLabel('Vidéo de présentation').fill('https://vimeo.com/76979871');
  const saved = page.waitForResponse((r) => r.url().includes('/api/organisation/fiche/enregistrer'));
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  expect((await saved).status()).toBeLessThan(400);
  await page.reload();
  await expect(page.getByLabel('Vidéo de présentation')).toHaveValue('https://vimeo.com/76979871');

  // The public page shows both.
  const publicPage = (await page.locator('main a[href^="/entreprises/"]').first().getAttribute('href'))!;
  await page.goto(publicPage);
  await expect(page.getByRole('heading', { name: 'En images' })).toBeVisible();
  await expect(page.getByRole('img', { name: alt })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Voir la vidéo (Vimeo)' })).toHaveAttribute('href', 'https://vimeo.com/76979871');

  await page.goto('/tableau-de-bord/entreprise');
  await hydrated();
  await page.locator('[data-photo]', { hasText: alt }).getByRole('button', { name: /Retirer/ }).click();
  await expect(page.locator('[data-photo]', { hasText: alt })).toHaveCount(0);
  await page.goto(publicPage);
  await expect(page.getByRole('img', { name: alt })).toHaveCount(0);
});
