import { test, expect, usesJavaScript, signIn, openSearch, pickFacet, searchWithForm, expectSharedSelection } from './fixtures';
import { lastMailTo } from './mail';

const CANDIDATE = 'camille.martin@demo.passerelle.fr';
const CENTRE = 'formation@demo.passerelle.fr';

test('the catalogue: search, facets with counts, shareable URLs', async ({ page }, testInfo) => {
  const js = usesJavaScript(testInfo.project.name);
  const total = await openSearch(page, '/formations', 'Catalogue des formations', js);
  expect(total).toBeGreaterThan(50);

  await pickFacet(page, 'modalite', 'distanciel', /\/formations\?modalite=distanciel$/, '[data-training-card]');

  // Text and place in the form; the URL carries everything.
  await searchWithForm(page, 'Métier, compétence, certification', 'developpeur', 'Lyon', '100');
  await expect(page).toHaveURL(/modalite=distanciel/);
  await expect(page.getByRole('status').first()).toContainText(/formations?|Aucune/);

  await expectSharedSelection(page, '/formations?cpf=oui', 'cpf');
});

test('a candidate asks to enrol, the centre accepts, the candidate sees it and gets the e-mail', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const js = usesJavaScript(testInfo.project.name);
  // Each project takes its own training so the two runs never collide.
  await page.goto('/centres/institut-lumiere-formation');
  const cards = page.locator('[data-training-card]');
  await expect(cards.first()).toBeVisible();
  const card = cards.nth(js ? 0 : 1);
  const title = (await card.getByRole('heading').textContent())!.trim();
  const href = (await card.getByRole('link').first().getAttribute('href'))!;

  await signIn(page, CANDIDATE, href);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await page.locator('summary', { hasText: "Demander l'inscription" }).first().click();
  await page.getByLabel('Message au centre (facultatif)').first().fill('Bonjour, je suis disponible tout de suite.');
  await page.getByRole('button', { name: 'Envoyer ma demande' }).first().click();
  // The training page does not hydrate: the form posts, the server sends the candidate on.
  await expect(page).toHaveURL(/\/tableau-de-bord\/inscriptions$/);
  const mine = page.locator('[data-request]', { hasText: title }).first();
  await expect(mine.locator('[data-status]')).toHaveText('Nouvelle');

  // The centre, in another browser, accepts it.
  const centreContext = await browser.newContext({ javaScriptEnabled: js });
  const centre = await centreContext.newPage();
  await signIn(centre, CENTRE, '/tableau-de-bord/demandes');
  const request = centre.locator('[data-column="new"] [data-request]', { hasText: title }).filter({ hasText: 'Camille Martin' }).first();
  await expect(request).toBeVisible();
  await request.getByRole('button', { name: 'Accepter' }).click();
  await expect(centre.locator('[data-column="accepted"] [data-request]', { hasText: title }).first()).toBeVisible();
  await centreContext.close();

  // The candidate sees the new status and has the e-mail.
  await page.reload();
  await expect(page.locator('[data-request]', { hasText: title }).first().locator('[data-status]')).toHaveText('Acceptée');
  const mail = await lastMailTo(CANDIDATE, `Votre demande pour « ${title} » : Acceptée`);
  expect(mail.text).toContain(title);
  expect(mail.text).toContain('/tableau-de-bord/inscriptions');
});
