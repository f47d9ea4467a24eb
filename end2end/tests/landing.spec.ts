import { test, expect, usesJavaScript, uniqueEmail } from './fixtures';

test('the landing page speaks French to the three audiences', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle('Passerelle');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('h1')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Se former, se faire recruter');
  for (const audience of ['Candidats', 'Centres de formation', 'Entreprises']) {
    await expect(page.getByRole('main').getByText(audience, { exact: true })).toBeVisible();
  }
  await expect(page.getByRole('contentinfo').getByRole('link', { name: 'Mentions légales' })).toBeVisible();
});

test('the skip link is the first thing the keyboard reaches', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Aller au contenu' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
});

test('on a phone the menu opens with or without JavaScript and offers to create an account', async ({ page }, testInfo) => {
  const js = usesJavaScript(testInfo.project.name);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  const menu = page.getByRole('navigation', { name: 'Navigation mobile' });
  await expect(menu).toBeHidden();
  // The wide screen's navigation is not there on a phone.
  await expect(page.getByRole('navigation', { name: 'Navigation principale' })).toBeHidden();
  await page.locator('[data-menu-mobile] summary').click();
  await expect(menu).toBeVisible();
  const panel = page.locator('[data-menu-mobile]');
  await expect(panel.getByRole('link', { name: 'Créer un compte' })).toBeVisible();
  await expect(panel.getByRole('link', { name: 'Connexion' })).toBeVisible();
  await menu.getByRole('link', { name: "Offres d'emploi" }).click();
  await expect(page).toHaveURL(/\/offres$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // Hydrated, the header stays and the menu closes behind the link.
  await expect(menu).toBeHidden();
});

test('on a wide screen the header holds on one line', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  const banner = page.getByRole('banner');
  const links = banner.getByRole('link');
  const boxes = await links.evaluateAll((as) => as.map((a) => a.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => ({ top: r.top, height: r.height })));
  expect(boxes.length).toBeGreaterThanOrEqual(6);
  // One row: every link's middle on the logo's line, and links of a size.
  const middles = boxes.map((b) => Math.round(b.top + b.height / 2));
  expect(Math.max(...middles) - Math.min(...middles)).toBeLessThanOrEqual(4);
  const heights = new Set(boxes.slice(1).map((b) => Math.round(b.height)));
  expect(heights.size).toBe(1);
});

test('signing up to the newsletter confirms on the page', async ({ page }, testInfo) => {
  await page.goto('/');
  if (usesJavaScript(testInfo.project.name)) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  }
  await page.getByLabel('Votre adresse e-mail').fill(uniqueEmail());
  await page.getByRole('button', { name: "Je m'inscris" }).click();
  await expect(page.getByText('Merci ! Confirmez votre inscription')).toBeVisible();
  // The landing page does not hydrate: the form posts and the page comes back.
  await expect(page).toHaveURL(/newsletter=merci/);
});

test('a bad address shows the French message under the field', async ({ page }, testInfo) => {
  await page.goto('/');
  if (usesJavaScript(testInfo.project.name)) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  }
  const field = page.getByLabel('Votre adresse e-mail');
  await field.fill('marie@');
  await page.getByRole('button', { name: "Je m'inscris" }).click();
  await expect(page.locator('#newsletter-email-error')).toHaveText(
    "Cette adresse e-mail n'est pas valide. Exemple : prenom.nom@exemple.fr",
  );
  await expect(page.getByLabel('Votre adresse e-mail')).toHaveAttribute('aria-invalid', 'true');
});

test('an unknown address gets the French 404 page', async ({ page }) => {
  const response = await page.goto('/cette-page-n-existe-pas');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cette page est introuvable');
  await page.getByRole('link', { name: "Revenir à l'accueil" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('the legal pages are reachable from the footer', async ({ page }) => {
  await page.goto('/');
  for (const [link, heading] of [
    ['Mentions légales', 'Mentions légales'],
    ['Confidentialité', 'Politique de confidentialité'],
    ['Accessibilité : partiellement conforme', "Déclaration d'accessibilité"],
  ]) {
    await page.getByRole('contentinfo').getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page).toHaveTitle(`${heading} · Passerelle`);
  }
});

test('the newsletter endpoint answers API callers with a 422 and a JSON error', async ({ request }) => {
  const response = await request.post('/api/newsletter', {
    form: { email: 'pas-une-adresse' },
    headers: { accept: 'application/json' },
  });
  expect(response.status()).toBe(422);
  const body = await response.json();
  expect(body.Invalid.field).toBe('email');
});
