import { test, expect, usesJavaScript, uniqueEmail } from './fixtures';
import { lastMailTo } from './mail';

const PASSWORD = 'une phrase de passe solide';

test('sign up, confirm the address from the e-mail, sign in and out', async ({ page }, testInfo) => {
  const js = usesJavaScript(testInfo.project.name);
  const email = uniqueEmail();
  await page.goto('/inscription');
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });

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
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(page.getByText('Adresse e-mail confirmée. Vous pouvez vous connecter.')).toBeVisible();

  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // Without `suivant`, sign-in lands on the dashboard home.
  await expect(page).toHaveURL(/\/tableau-de-bord$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord');
  await expect(page.getByRole('main')).toContainText('Bonjour Camille Durand.');
  await expect(page.getByRole('main').getByRole('link', { name: 'Compléter mon profil' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: /Camille Durand/ })).toBeVisible();

  await page.goto('/compte');
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mon compte');
  await expect(page.getByRole('main')).toContainText(email);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Connexion' })).toBeVisible();
  await page.goto('/compte');
  await expect(page).toHaveURL(/\/connexion\?suivant=\/compte/);
});

test('a wrong password gets the same French message as an unknown address', async ({ page }, testInfo) => {
  await page.goto('/connexion');
  if (usesJavaScript(testInfo.project.name)) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  await page.getByLabel('Adresse e-mail').fill(uniqueEmail());
  await page.getByLabel('Mot de passe').fill('un mot de passe faux');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.locator('#champ-password-erreur')).toHaveText('E-mail ou mot de passe incorrect.');
});

test('two-factor sign-in with a TOTP code, then a recovery code, then a password reset ending other sessions', async ({ page, browser }, testInfo) => {
  const { TOTP } = await import('otpauth');
  const js = usesJavaScript(testInfo.project.name);
  const hydrated = async () => {
    if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  };
  const email = uniqueEmail();

  // Sign up and confirm.
  await page.goto('/inscription');
  await hydrated();
  await page.getByLabel('Nom et prénom').fill('Louise Bernard');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vérifiez votre boîte mail');
  const verify = (await lastMailTo(email, 'Confirmez votre adresse e-mail')).text.match(/verifier-email\?jeton=[\w-]+/)![0];
  await page.goto('/' + verify);
  await hydrated();
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(page.getByText('Adresse e-mail confirmée')).toBeVisible();

  const signIn = async (password: string) => {
    await page.goto('/connexion');
    await hydrated();
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
  };
  await signIn(PASSWORD);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord');

  // Enrol TOTP.
  await page.goto('/compte/double-authentification');
  await hydrated();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  const totp = new TOTP({ secret, digits: 6, period: 30 });
  await page.getByLabel('Code à 6 chiffres').fill(totp.generate());
  await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
  await page.getByRole('button', { name: 'Activer' }).click();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents();

  // Sign out, then in with a TOTP code (the next time step: each code is accepted once).
  await page.goto('/compte');
  await hydrated();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Connexion' })).toBeVisible();
  await signIn(PASSWORD);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Code de vérification');
  await page.getByLabel('Code').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page).toHaveURL(/\/tableau-de-bord$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord');

  // Sign out, then in with a recovery code.
  await page.goto('/compte');
  await hydrated();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Connexion' })).toBeVisible();
  await signIn(PASSWORD);
  await page.getByLabel('Code').fill(codes[0]);
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord');

  // Reset the password from another browser: this session ends.
  const other = await browser.newPage();
  await other.goto('/mot-de-passe-oublie');
  await other.getByLabel('Adresse e-mail').fill(email);
  await other.getByRole('button', { name: 'Recevoir le lien' }).click();
  await expect(other.getByText('Si un compte existe avec cette adresse')).toBeVisible();
  const reset = (await lastMailTo(email, 'Réinitialisez votre mot de passe')).text.match(/reinitialiser\?jeton=[\w-]+/)![0];
  await other.goto('/' + reset);
  await other.getByLabel('Nouveau mot de passe').fill('une nouvelle phrase de passe');
  await other.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(other.getByText('Mot de passe changé. Connectez-vous avec le nouveau.')).toBeVisible();
  await other.close();

  await page.goto('/compte');
  await expect(page).toHaveURL(/\/connexion\?suivant=\/compte/);
});
