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

test('a candidate applies with a PDF, the recruiter proposes an interview, they write to each other and the candidate accepts the slot', async ({ page, browser }, testInfo) => {
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
  // The interview: a slot a week ahead, by video.
  const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const propose = card.locator('[data-propose-interview]');
  await propose.locator('summary').click();
  await propose.getByLabel('Date et heure').fill(`${day}T10:00`);
  await propose.getByLabel('Forme').selectOption('video');
  await propose.getByLabel('Adresse, lien ou numéro').fill('https://visio.exemple.fr/camille');
  await propose.getByLabel(/^Contact/).fill('Sophie Bernard, 04 78 00 00 00');
  await propose.getByRole('button', { name: "Proposer l'entretien" }).click();
  const interviewCard = recruiter
    .locator('[data-column="interview"] [data-application]', { hasText: title })
    .filter({ hasText: 'Camille Martin' })
    .first();
  await expect(interviewCard.locator('[data-interview-status="proposed"]')).toContainText('En visioconférence : https://visio.exemple.fr/camille');

  // The candidate sees the proposal, has it by e-mail with its calendar file,
  // writes to the recruiter and accepts the slot.
  await page.reload();
  const followed = page.locator('[data-application]', { hasText: title }).first();
  await expect(followed.locator('[data-status]')).toHaveText('Entretien');
  // Withdrawing is final, and the button says so.
  await expect(followed.getByRole('button', { name: /Retirer ma candidature \(définitif\)/ })).toBeVisible();
  const proposal = await lastMailTo(CANDIDATE, `Entretien proposé : ${title}`);
  expect(proposal.text).toContain(COMPANY);
  expect(proposal.text).toContain('Sophie Bernard, 04 78 00 00 00');
  expect(proposal.attachments.map((a) => a.contentType)).toEqual(['text/calendar']);
  expect(proposal.attachments[0].content).toContain('BEGIN:VCALENDAR');
  await followed.locator('summary', { hasText: 'Échanges avec le recruteur' }).click();
  await followed.getByLabel('Écrire un message').fill('Merci, je serai connectée dix minutes avant.');
  await followed.getByRole('button', { name: 'Envoyer', exact: true }).click();
  const again = page.locator('[data-application]', { hasText: title }).first();
  await expect(again.locator('[data-message]')).toContainText(['Merci, je serai connectée dix minutes avant.']);
  expect((await lastMailTo(RECRUITER, `Nouveau message : ${title}`)).text).toContain('Camille Martin');
  await again.getByRole('button', { name: 'Accepter ce créneau' }).click();
  await expect(page.locator('[data-application]', { hasText: title }).first().locator('[data-interview-status="accepted"]')).toBeVisible();
  const accepted = await lastMailTo(RECRUITER, `Entretien accepté : ${title}`);
  expect(accepted.attachments[0].content).toContain('STATUS:CONFIRMED');
  await recruiterContext.close();
});
