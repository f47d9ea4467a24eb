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

test('an admin changes a role behind a fresh second factor, approves, suspends and reactivates a company, retries a job, and reads the searches that found nothing', async ({ page }, testInfo) => {
  const { TOTP } = await import('otpauth');
  const js = usesJavaScript(testInfo.project.name);
  const hydrated = async () => {
    if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  };

  // A company signs up: it waits for an admin.
  const company = `Atelier Essai ${Date.now().toString(36)}`;
  const owner = uniqueEmail();
  await page.goto('/inscription');
  await hydrated();
  await page.getByLabel('Entreprise', { exact: true }).check();
  await page.getByLabel('Nom et prénom').fill('Rita Martin');
  await page.getByLabel('Adresse e-mail').fill(owner);
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

  // A role change needs a code (the next one: each is accepted once).
  await page.goto(`/admin/utilisateurs?q=${encodeURIComponent(owner)}`);
  await hydrated();
  await page.getByRole('link', { name: owner }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(owner);
  await hydrated();
  const changeRole = async () => {
    await page.getByLabel('Action', { exact: true }).selectOption('changer_role');
    await page.getByLabel('Nouveau rôle').selectOption('candidate');
    await page.getByRole('button', { name: 'Valider' }).click();
  };
  await changeRole();
  await expect(page.getByText('Confirmez cette action avec un code de double authentification.')).toBeVisible();
  await page.getByLabel('Code de double authentification').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
  await changeRole();
  await expect(page.getByText("C'est fait : le journal du compte le garde.")).toBeVisible();
  await expect(page.locator('[data-user]')).toContainText('Candidat');
  await expect(page.getByText('role : recruiter → candidate')).toBeVisible();

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

  // Suspending needs a reason; the code confirmed minutes ago still covers it.
  await page.getByRole('button', { name: "Suspendre l'organisation" }).click();
  await expect(page.getByText('Indiquez le motif de la suspension (500 caractères au plus).')).toBeVisible();
  await page.getByLabel('Motif de la suspension').fill('Offres trompeuses signalées');
  await page.getByRole('button', { name: "Suspendre l'organisation" }).click();
  await expect(page.getByText('Organisation suspendue le')).toBeVisible();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'suspended');
  expect((await page.request.get(publicPage)).status()).toBe(404);

  // Within ten minutes, reactivating needs no new code.
  await page.getByRole('button', { name: "Réactiver l'organisation" }).click();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'approved');
  expect((await page.request.get(publicPage)).status()).toBe(200);
  await expect(page.getByRole('table').last()).toContainText('Organisation réactivée par un administrateur');

  // A job given up after every attempt runs again when asked.
  const failure = `SMTP refusé (essai ${testInfo.project.name})`;
  await page.goto('/admin/taches?etat=abandonnee');
  await hydrated();
  const job = page.locator('tr', { hasText: failure });
  await expect(job).toHaveCount(1);
  await job.getByRole('button', { name: 'Relancer' }).click();
  await expect(page.locator('tr', { hasText: failure })).toHaveCount(0);

  // A search that finds nothing shows among the searches that found nothing
  // once the counts are written (every few seconds).
  const words = `introuvable ${Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 8)}`;
  await page.goto(`/offres?q=${encodeURIComponent(words)}`);
  await expect(page.locator('[data-total]')).toHaveAttribute('data-total', '0');
  await expect
    .poll(async () => {
      await page.goto('/admin');
      return page.locator('caption', { hasText: /^Recherches sans résultat$/ }).locator('..').textContent();
    }, { timeout: 30_000, intervals: [2_000] })
    .toContain(words);

  // The figures: a chart per series, by week when asked.
  await page.goto('/admin');
  await hydrated();
  await expect(page.getByRole('heading', { name: 'Statistiques' })).toBeVisible();
  await expect(page.locator('figure svg[role="img"]')).toHaveCount(16);
  await page.locator('select[name="pas"]').selectOption('semaine');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await expect(page).toHaveURL(/pas=semaine/);
  await expect(page.getByText(/, par semaine\./)).toBeVisible();
  const funnel = page.locator('[data-funnel="Offres d\'emploi"]');
  await expect(funnel).toContainText('Candidatures envoyées');
});
