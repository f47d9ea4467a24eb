import { test, expect, usesJavaScript, signIn } from './fixtures';

const RECRUITER = 'recrutement@demo.passerelle.fr';

test("a company's owner creates an API client whose secret, shown once, gets a token for its offers", async ({ page, request }, testInfo) => {
  const js = usesJavaScript(testInfo.project.name);
  await signIn(page, RECRUITER, '/tableau-de-bord/entreprise/api');
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  const name = `ATS du test ${testInfo.project.name}`;
  await page.getByLabel('Nom du nouveau client').fill(name);
  await page.getByRole('button', { name: 'Créer un client' }).click();
  const secret = (await page.locator('[data-secret]').textContent())!.trim();
  expect(secret).toMatch(/^pcs_/);
  const card = page.locator('[data-client]', { hasText: name });
  await expect(card).toHaveCount(1);
  // The read scope is ticked by default, and the list names the client's scopes.
  await expect(card).toContainText('offres:lecture');
  const clientId = (await card.getAttribute('data-client'))!;

  // The partner's software: a token, then the company's offers, drafts included.
  const token = await request.post('/api/v1/oauth/token', {
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
  });
  expect(token.status()).toBe(200);
  const { access_token: accessToken, token_type: type } = await token.json();
  expect(type).toBe('Bearer');
  const offers = await request.get('/api/v1/entreprise/offres', { headers: { Authorization: `Bearer ${accessToken}` } });
  expect(offers.status()).toBe(200);
  expect(JSON.stringify(await offers.json())).toContain('Soudeur');

  // Shown once: a reload forgets it. Revoked: the token stops working.
  await page.reload();
  await expect(page.locator('[data-secret]')).toHaveCount(0);
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  await page.locator('[data-client]', { hasText: name }).getByRole('button', { name: 'Révoquer' }).click();
  await expect(page.locator('[data-client]', { hasText: name })).toContainText('Révoqué le');
  const refused = await request.get('/api/v1/entreprise/offres', { headers: { Authorization: `Bearer ${accessToken}` } });
  expect(refused.status()).toBe(401);
});
