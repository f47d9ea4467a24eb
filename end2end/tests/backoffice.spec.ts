import { test, expect, uniqueEmail, usesJavaScript } from './fixtures';

/** The administrators scripts/test.sh creates, one per project (each enrols its own second factor). */
const adminEmail = (project: string) => `admin.${project}@exemple.fr`;
const ADMIN_PASSWORD = 'une phrase de passe pour les tests';

/** A SIRET no other run has used, with a valid Luhn key. */
function uniqueSiret(): string {
  const body = (String(Date.now()).slice(-9) + String(Math.floor(Math.random() * 10_000)).padStart(4, '0')).slice(0, 13);
  const luhn = (digits: string) =>
    [...digits].reverse().reduce((sum, c, i) => {
      const d = Number(c) * (i % 2 === 1 ? 2 : 1);
      return sum + (d > 9 ? d - 9 : d);
    }, 0) % 10 === 0;
  for (let key = 0; key < 10; key++) if (luhn(body + key)) return body + key;
  throw new Error('no Luhn key');
}

// Suspending without a code is refused on purpose: the browser logs that 422.
test.use({ expectedConsoleErrors: [/status of 422/] });

test('an admin approves a company, suspends it behind a fresh second factor, reactivates it, and reads the figures', async ({ page }, testInfo) => {
  const { TOTP } = await import('otpauth');
  const js = usesJavaScript(testInfo.project.name);
  const hydrated = async () => {
    if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  };

  // A company signs up: it waits for an admin.
  const company = `Atelier Essai ${Date.now().toString(36)}`;
  await page.goto('/inscription');
  await hydrated();
  await page.getByLabel('Entreprise', { exact: true }).check();
  await page.getByLabel('Nom et prénom').fill('Rita Martin');
  await page.getByLabel('Adresse e-mail').fill(uniqueEmail());
  await page.getByLabel('Mot de passe').fill('une phrase de passe solide');
  await page.getByLabel("Nom de l'organisation").fill(company);
  await page.getByLabel('SIRET (14 chiffres)').fill(uniqueSiret());
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vérifiez votre boîte mail');

  // The admin signs in and must enrol a second factor first.
  await page.goto('/connexion');
  await hydrated();
  await page.getByLabel('Adresse e-mail').fill(adminEmail(testInfo.project.name));
  await page.getByLabel('Mot de passe').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/compte\/double-authentification/);
  await hydrated();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  const totp = new TOTP({ secret, digits: 6, period: 30 });
  await page.getByLabel('Code à 6 chiffres').fill(totp.generate());
  await page.getByLabel('Mot de passe actuel').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Activer' }).click();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);

  // The queue: approve the company, then find it in the list of all.
  await page.goto('/admin/organisations');
  await hydrated();
  await page.locator('li', { hasText: company }).getByRole('button', { name: /Approuver/ }).click();
  await expect(page.locator('li', { hasText: company })).toHaveCount(0);
  await page.goto(`/admin/organisations?q=${encodeURIComponent(company)}#toutes`);
  await hydrated();
  await expect(page.locator('[data-total]')).toHaveAttribute('data-total', '1');
  await page.getByRole('link', { name: company }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(company);
  await hydrated();
  const publicPage = (await page.getByRole('link', { name: /^\/entreprises\// }).getAttribute('href'))!;
  expect((await page.request.get(publicPage)).status()).toBe(200);

  // Suspending needs a reason and a code (the next one: each is accepted once).
  await page.getByLabel('Motif de la suspension').fill('Offres trompeuses signalées');
  await page.getByRole('button', { name: "Suspendre l'organisation" }).click();
  await expect(page.getByText('Confirmez cette action avec un code de double authentification.')).toBeVisible();
  await page.getByLabel('Motif de la suspension').fill('Offres trompeuses signalées');
  await page.getByLabel('Code de double authentification').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
  await page.getByRole('button', { name: "Suspendre l'organisation" }).click();
  await expect(page.getByText('Organisation suspendue le')).toBeVisible();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'suspended');
  expect((await page.request.get(publicPage)).status()).toBe(404);

  // Within ten minutes, reactivating needs no new code.
  await page.getByRole('button', { name: "Réactiver l'organisation" }).click();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'approved');
  expect((await page.request.get(publicPage)).status()).toBe(200);
  await expect(page.getByRole('table').last()).toContainText('Organisation réactivée par un administrateur');

  // The figures: a chart per series, by week when asked.
  await page.goto('/admin');
  await hydrated();
  await expect(page.getByRole('heading', { name: 'Statistiques' })).toBeVisible();
  await expect(page.locator('figure svg[role="img"]')).toHaveCount(14);
  await page.locator('select[name="pas"]').selectOption('semaine');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await expect(page).toHaveURL(/pas=semaine/);
  await expect(page.getByText(/, par semaine\./)).toBeVisible();
  const funnel = page.locator('[data-funnel="Offres d\'emploi"]');
  await expect(funnel).toContainText('Candidatures envoyées');
});
