import { test, expect, usesJavaScript, openSearch, pickFacet, searchWithForm, expectSharedSelection } from './fixtures';

test('the job board: search, facets with counts, shareable URLs', async ({ page }, testInfo) => {
  const js = usesJavaScript(testInfo.project.name);
  const total = await openSearch(page, '/offres', "Offres d'emploi", js);
  expect(total).toBeGreaterThan(50);

  await pickFacet(page, 'contrat', 'cdi', /\/offres\?contrat=cdi$/, '[data-offer-card]');

  // A cumulative salary floor narrows the CDI list further.
  const floor = page.locator('[data-facet="salaire"] a[data-value]').first();
  const floorCount = Number(await floor.getAttribute('data-count'));
  await floor.click();
  await expect(page).toHaveURL(/contrat=cdi&salaire=\d+/);
  await expect(page.locator('[data-total]')).toHaveAttribute('data-total', String(floorCount));

  // Text and place in the form; the URL carries everything.
  await searchWithForm(page, 'Métier, compétence, entreprise', 'technicien', 'Lyon', '50');
  await expect(page).toHaveURL(/contrat=cdi/);
  await expect(page.getByRole('status').first()).toContainText(/offres?|Aucune/);

  await expectSharedSelection(page, '/offres?teletravail=hybride', 'teletravail');
});

test('on a phone the results come first and the facets wait behind "Filtres"', async ({ page }, testInfo) => {
  const js = usesJavaScript(testInfo.project.name);
  await page.setViewportSize({ width: 390, height: 844 });
  await openSearch(page, '/offres', "Offres d'emploi", js);
  // The first offer is on the first screen; no facet is.
  const first = await page.locator('[data-offer-card]').first().boundingBox();
  expect(first!.y).toBeLessThan(844);
  const facet = page.locator('[data-facet="contrat"]');
  await expect(facet).toBeHidden();
  await page.locator('label[for="voir-filtres"]').click();
  await expect(facet).toBeVisible();
  await pickFacet(page, 'contrat', 'cdi', /\/offres\?contrat=cdi$/, '[data-offer-card]');
  // The button says how many filters are on.
  await expect(page.locator('label[for="voir-filtres"]')).toHaveText('Filtres (1)');
});

test('an offer page: JobPosting, the company, and trainings for its skills', async ({ page }) => {
  await page.goto('/offres');
  const first = page.locator('[data-offer-card] h3 a').first();
  const title = (await first.textContent())?.trim() ?? '';
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  const postings = await page
    .locator('script[type="application/ld+json"]')
    .evaluateAll((scripts) => scripts.map((s) => JSON.parse(s.textContent ?? '{}')).filter((v) => v['@type'] === 'JobPosting'));
  expect(postings).toHaveLength(1);
  expect(postings[0].title).toBe(title);
  expect(postings[0].hiringOrganization.name).toBeTruthy();
  expect(new Date(postings[0].validThrough).getTime()).toBeGreaterThan(Date.now());
  // The company's page lists this offer among its live ones.
  await page.locator('article p a[href^="/entreprises/"]').first().click();
  await expect(page.locator(`[data-offer-card] h3 a`, { hasText: title }).first()).toBeVisible();
});
