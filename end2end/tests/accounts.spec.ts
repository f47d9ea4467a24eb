import { test, expect, usesJavaScript, uniqueEmail } from './fixtures';
import { lastMailTo } from './mail';

const PASSWORD = 'une phrase de passe solide';

test('sign up, confirm the address from the e-mail, sign in and out', async ({ page }, testInfo) => {
  const js = usesJavaScript(testInfo.project.name);
  const email = uniqueEmail();
  await page.goto('/inscription');
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  // Organisation fields appear only for centres and companies (CSS, no script).
  await expect(page.getByLabel("Nom de l'organisation")).toBeHidden();
  await page.getByLabel('Centre de formation').check();
  await expect(page.getByLabel("Nom de l'organisation")).toBeVisible();
  await page.getByLabel('Candidat').check();

  await page.getByLabel('Nom et prénom').fill('Camille Durand');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vérifiez votre boîte mail');

  const mail = await lastMailTo(email);
  expect(mail.subject).toBe('Confirmez votre adresse e-mail');
  const link = mail.text.match(/https?:\/\/\S+verifier-email\?jeton=[\w-]+/)?.[0];
  expect(link).toBeTruthy();
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(page.getByText('Adresse e-mail confirmée. Vous pouvez vous connecter.')).toBeVisible();

  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mon compte');
  await expect(page.getByRole('main')).toContainText(email);
  await expect(page.getByRole('banner').getByRole('link', { name: /Camille Durand/ })).toBeVisible();

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Connexion' })).toBeVisible();
  await page.goto('/compte');
  await expect(page).toHaveURL(/\/connexion\?suivant=\/compte/);
});

test.describe('refused sign-in', () => {
  // The hydrated form receives a 422; Chromium logs that response, nothing else may appear.
  test.use({ expectedConsoleErrors: [/status of 422/] });

test('a wrong password gets the same French message as an unknown address', async ({ page }, testInfo) => {
  await page.goto('/connexion');
  if (usesJavaScript(testInfo.project.name)) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Adresse e-mail').fill(uniqueEmail());
  await page.getByLabel('Mot de passe').fill('un mot de passe faux');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.locator('#champ-password-erreur')).toHaveText('E-mail ou mot de passe incorrect.');
});
});
