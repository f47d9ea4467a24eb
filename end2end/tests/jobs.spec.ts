import { test, expect, usesJavaScript, signIn } from './fixtures';
import { lastMailTo } from './mail';

const CANDIDATE = 'camille.martin@demo.passerelle.fr';
const RECRUITER = 'recrutement@demo.passerelle.fr';
const COMPANY = 'Atelier Rhône Industrie';

/** A small PDF (the server judges it by its first bytes), different on every run. */
function pdf(): Buffer {
  return Buffer.from(
    `%PDF-1.4\n% CV de Camille Martin, ${new Date().toISOString()}\n` +
      '1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  );
}

test('a candidate applies with a PDF, the recruiter moves it to interview, the candidate sees it and gets the e-mail', async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const js = usesJavaScript(testInfo.project.name);
  const company = '/entreprises/atelier-rhone-industrie';
  await signIn(page, CANDIDATE, company);
  const links = page.locator('[data-offer-card] h3 a');
  await expect(links.first()).toBeVisible();
  const hrefs = (await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))).filter(Boolean);
  expect(hrefs.length).toBeGreaterThanOrEqual(6);

  // Each project takes every other offer, so the two runs never pick the same
  // one; reruns skip the offers Camille has already applied to.
  let title = '';
  for (let i = js ? 0 : 1; i < hrefs.length && !title; i += 2) {
    await page.goto(hrefs[i]);
    await expect(page.locator('[data-apply]')).toBeVisible();
    if ((await page.getByLabel('Message au recruteur').count()) > 0) {
      title = (await page.getByRole('heading', { level: 1 }).textContent())!.trim();
    }
  }
  expect(title, `an offer of ${COMPANY} Camille has not applied to yet`).not.toBe('');
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });

  // One step: a message and a PDF.
  await page.getByLabel('Message au recruteur').fill('Bonjour, votre offre correspond à mon projet : je suis disponible dès maintenant.');
  await page.getByLabel(/CV \(PDF/).setInputFiles({ name: 'cv-camille-martin.pdf', mimeType: 'application/pdf', buffer: pdf() });
  await page.getByRole('button', { name: 'Envoyer ma candidature' }).click();
  await expect(page).toHaveURL(/candidature=envoyee/);
  await expect(page.getByText('Votre candidature a été envoyée.')).toBeVisible();
  await expect(page.locator('[data-apply] [data-status]')).toHaveText('Envoyée');
  const received = await lastMailTo(RECRUITER, `Nouvelle candidature : ${title}`);
  expect(received.text).toContain('Camille Martin');

  await page.getByRole('link', { name: 'Suivre mes candidatures' }).click();
  await expect(page).toHaveURL(/\/tableau-de-bord\/candidatures$/);
  const mine = page.locator('[data-application]', { hasText: title }).first();
  await expect(mine.locator('[data-status]')).toHaveText('Envoyée');
  await expect(mine).toContainText(COMPANY);

  // The recruiter, in another browser, opens the CV and proposes an interview.
  const recruiterContext = await browser.newContext({ javaScriptEnabled: js });
  const recruiter = await recruiterContext.newPage();
  await signIn(recruiter, RECRUITER, '/tableau-de-bord/candidatures-recues');
  const card = recruiter
    .locator('[data-column="new"] [data-application]', { hasText: title })
    .filter({ hasText: 'Camille Martin' })
    .first();
  await expect(card).toBeVisible();
  // The profile's experience is on the card, folded until opened.
  const experience = card.locator('[data-experience]');
  await expect(experience.locator('p')).toBeHidden();
  await experience.locator('summary').click();
  await expect(experience.locator('p')).toBeVisible();
  const cv = (await card.getByRole('link', { name: /Voir le CV/ }).getAttribute('href'))!;
  const cvResponse = await recruiter.request.get(cv);
  expect(cvResponse.status()).toBe(200);
  expect(cvResponse.headers()['content-type']).toBe('application/pdf');
  expect((await cvResponse.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await card.getByRole('button', { name: 'Proposer un entretien' }).click();
  await expect(
    recruiter
      .locator('[data-column="interview"] [data-application]', { hasText: title })
      .filter({ hasText: 'Camille Martin' })
      .first(),
  ).toBeVisible();
  await recruiterContext.close();

  // The candidate sees the new status and has the e-mail.
  await page.reload();
  const followed = page.locator('[data-application]', { hasText: title }).first();
  await expect(followed.locator('[data-status]')).toHaveText('Entretien');
  // Withdrawing is final, and the button says so.
  await expect(followed.getByRole('button', { name: /Retirer ma candidature \(définitif\)/ })).toBeVisible();
  const mail = await lastMailTo(CANDIDATE, `Votre candidature « ${title} » : Entretien`);
  expect(mail.text).toContain(COMPANY);
  expect(mail.text).toContain('/tableau-de-bord/candidatures');
});
