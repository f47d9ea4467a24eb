import { test, expect, usesJavaScript } from './fixtures';
import type { Page } from '@playwright/test';

const EDITOR = 'redaction@demo.passerelle.fr';
const DEMO_PASSWORD = 'passerelle-demo-2026';

/** A real PNG drawn by the browser itself (no image files in the repository). */
async function drawnPng(page: Page, hue: number): Promise<Buffer> {
  const dataUrl = await page.evaluate((hue) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1200;
    canvas.height = 675;
    const ctx = canvas.getContext('2d')!;
    const gradient = ctx.createLinearGradient(0, 0, 1200, 675);
    gradient.addColorStop(0, `hsl(${hue}, 70%, 45%)`);
    gradient.addColorStop(1, `hsl(${hue + 60}, 70%, 60%)`);
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, 1200, 675);
    return canvas.toDataURL('image/png');
  }, hue);
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

test('the public blog: listing, article, feed and sitemap', async ({ page }) => {
  const response = await page.goto('/blog');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle('Le blog · Passerelle');
  const first = page.getByRole('main').getByRole('article').first().getByRole('link');
  const title = (await first.textContent())!.trim();
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByText(/^Par .* min de lecture$/)).toBeVisible();
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute('content', /\/medias\/images\/[0-9a-f]{16}-\d+\.webp$/);
  const cover = page.getByRole('main').locator('article img').first();
  await expect(cover).toHaveAttribute('srcset', /320w.*640w/);
  // The image may still be downloading when the page is ready: wait for it.
  await expect.poll(() => cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  // The scheduled demo article is not public yet.
  await expect(page.getByText('Passerelle ouvre son catalogue de formations')).toHaveCount(0);
});

test('an editor writes, previews, uploads, schedules and publishes an article', async ({ page }, testInfo) => {
  test.skip(!usesJavaScript(testInfo.project.name), 'the editor is a reactive app');
  test.setTimeout(90_000);
  const { TOTP } = await import('otpauth');
  const hydrated = () => expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });

  // Editors must enrol a second factor first.
  await page.goto('/connexion?suivant=/tableau-de-bord/blog');
  await hydrated();
  await page.getByLabel('Adresse e-mail').fill(EDITOR);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await page.getByLabel('Code à 6 chiffres').fill(new TOTP({ secret, digits: 6, period: 30 }).generate());
  await page.getByLabel('Mot de passe actuel').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Activer' }).click();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);

  await page.goto('/tableau-de-bord/blog');
  await hydrated();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Articles du blog');
  await expect(page.getByRole('link', { name: 'Passerelle ouvre son catalogue de formations' })).toBeVisible();
  await page.getByRole('link', { name: 'Nouvel article' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nouvel article');
  await hydrated();

  const title = `Trouver une alternance en ${Date.now()}`;
  await page.getByLabel('Titre', { exact: true }).fill(title);
  await page.getByLabel('Chapeau').fill('Les bonnes adresses et le bon calendrier.');
  const body = page.getByLabel('Texte (Markdown)');
  await body.fill('# Le calendrier\n\nCommencez **six mois** avant la rentrée.\n\n<script>alert(1)</script>');
  // The live preview renders on the server, cleaned.
  const preview = page.getByTestId('apercu');
  await expect(preview.locator('h2')).toHaveText('Le calendrier');
  await expect(preview.locator('strong')).toHaveText('six mois');
  await expect(preview.locator('script')).toHaveCount(0);

  // A closed tab loses nothing: the text comes back from this browser.
  await page.waitForTimeout(800);
  await page.reload();
  await hydrated();
  await expect(page.getByText('Modifications non enregistrées retrouvées dans ce navigateur.')).toBeVisible();
  await expect(page.getByLabel('Titre', { exact: true })).toHaveValue(title);
  await expect(body).toHaveValue(/six mois/);

  // An image into the body, at the cursor, and a cover.
  await body.click();
  await body.press('End');
  await page.getByLabel('Insérer une image dans le texte').setInputFiles({ name: 'atelier.png', mimeType: 'image/png', buffer: await drawnPng(page, 200) });
  // Never the file's name as alternative text: a placeholder, selected for
  // the editor to type the description over it.
  await expect(body).toHaveValue(/!\[Décrivez l'image\]\(\/medias\/images\/[0-9a-f]{16}-960\.webp\)/);
  await expect
    .poll(() => body.evaluate((t: HTMLTextAreaElement) => t.value.slice(t.selectionStart, t.selectionEnd)))
    .toBe("Décrivez l'image");
  await body.fill((await body.inputValue()).replace("Décrivez l'image", 'atelier'));
  await expect(preview.locator('img[srcset*="320w"]')).toHaveCount(1);
  await page.getByLabel('Choisir une image').setInputFiles({ name: 'couverture.png', mimeType: 'image/png', buffer: await drawnPng(page, 20) });
  await expect(page.locator('fieldset img')).toHaveAttribute('srcset', /1200w/);
  await page.getByLabel("Texte alternatif de l'image").fill('Une apprentie dans un atelier');
  await page.getByLabel('Catégorie').selectOption({ label: 'Formation' });
  await page.getByLabel('Mots-clés').fill('alternance, e2e');

  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(page.getByText('Article enregistré.')).toBeVisible();
  await expect(page).toHaveURL(/\/tableau-de-bord\/blog\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Modifier l'article");
  const slug = (await page.getByLabel('Adresse (slug)').inputValue()).trim();
  expect(slug).toMatch(/^trouver-une-alternance-en-\d+$/);

  // Scheduled for later: not public yet.
  await page.getByLabel('Publier le (heure de Paris)').fill('2099-09-01T08:30');
  await page.getByRole('button', { name: 'Programmer' }).click();
  await expect(page.getByText('Publication programmée le 2099-09-01 à 08:30.')).toBeVisible();
  expect((await page.request.get(`/blog/${slug}`)).status()).toBe(404);

  // Published now: public, in the feed and the sitemap.
  await page.getByRole('button', { name: 'Enregistrer et publier' }).click();
  await expect(page.getByText('Article publié.')).toBeVisible();
  await page.getByRole('link', { name: "Voir l'article en ligne" }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('main').locator('h2', { hasText: 'Le calendrier' })).toBeVisible();
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute('content', /\/medias\/images\/[0-9a-f]{16}-1200\.webp$/);
  const articleImage = page.locator('.prose img');
  await expect(articleImage).toHaveAttribute('alt', 'atelier');
  expect(await articleImage.evaluate(async (img: HTMLImageElement) => { await img.decode(); return img.naturalWidth > 0; })).toBe(true);
  const feed = await (await page.request.get('/blog/feed.xml')).text();
  expect(feed).toContain(`/blog/${slug}`);
  const sitemap = await (await page.request.get('/sitemap.xml')).text();
  expect(sitemap).toContain(`/blog/${slug}</loc><lastmod>`);
  const listing = await page.request.get('/blog/tag/e2e');
  expect(listing.status()).toBe(200);
  expect(await listing.text()).toContain(title);
});
