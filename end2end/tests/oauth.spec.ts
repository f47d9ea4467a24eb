import { createHash, randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, signIn } from './fixtures';

/**
 * An app acting for a user (OAuth 2.1, authorisation code with PKCE): the
 * demo app that `passerelle seed --demo` registers asks the demo candidate
 * on /oauth/autoriser; the test answers on the app's redirect URI, as the
 * app would, and exchanges the code like the app's own code does.
 */

const CANDIDATE = 'camille.martin@demo.passerelle.fr';
const CLIENT_ID = 'pa_d3e0d3e0d3e0d3e0d3e0d3e0d3e0d3e0';
const REDIRECT = 'http://127.0.0.1:8765/retour';

/** A PKCE verifier and its S256 challenge. */
function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

function consentUrl(challenge: string, state: string) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT,
    scope: 'profil candidatures',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `/oauth/autoriser?${query}`;
}

/** Answers the app's redirect URI in the test's stead: the address the browser was sent to. */
async function actAsTheApp(page: Page): Promise<() => URL> {
  let received: URL | undefined;
  await page.route(
    (url) => url.origin === 'http://127.0.0.1:8765',
    async (route) => {
      received = new URL(route.request().url());
      await route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: '<!DOCTYPE html><html lang="fr"><title>Application</title><h1>De retour dans l\'application</h1></html>',
      });
    },
  );
  return () => {
    expect(received, 'the browser reached the app').toBeDefined();
    return received!;
  };
}

test('a candidate lets the demo app act for them, which exchanges the code and refreshes its tokens', async ({ page, request }, testInfo) => {
  const arrived = await actAsTheApp(page);
  await signIn(page, CANDIDATE, '/compte');
  const { verifier, challenge } = pkce();
  const state = `etat-${testInfo.project.name}`;
  await page.goto(consentUrl(challenge, state));
  await expect(page.getByRole('heading', { name: 'Autoriser une application' })).toBeVisible();
  await expect(page.locator('[data-app]')).toHaveText('Passerelle mobile (démo)');
  const scopes = page.getByTestId('scopes').locator('li');
  await expect(scopes).toHaveText([
    'Lire et modifier votre profil et votre CV.',
    'Postuler, demander une inscription, suivre et retirer vos demandes.',
  ]);

  await page.getByRole('button', { name: 'Autoriser' }).click();
  await expect(page.getByRole('heading', { name: "De retour dans l'application" })).toBeVisible();
  const back = arrived();
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
  expect(back.searchParams.get('state')).toBe(state);
  const code = back.searchParams.get('code')!;
  expect(code).toBeTruthy();

  // The app's own code: the code and its verifier for tokens, then a refresh.
  const exchanged = await request.post('/api/v1/oauth/token', {
    form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT_ID, code_verifier: verifier },
  });
  expect(exchanged.status()).toBe(200);
  const tokens = await exchanged.json();
  expect(tokens.token_type).toBe('Bearer');
  expect(tokens.scope).toBe('profil candidatures');
  expect(tokens.refresh_token).toMatch(/^prt_/);
  const refreshed = await request.post('/api/v1/oauth/token', {
    form: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: CLIENT_ID },
  });
  expect(refreshed.status()).toBe(200);
  const next = await refreshed.json();
  expect(next.refresh_token).toMatch(/^prt_/);
  expect(next.refresh_token).not.toBe(tokens.refresh_token);
  // A code serves once.
  const again = await request.post('/api/v1/oauth/token', {
    form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT_ID, code_verifier: verifier },
  });
  expect(again.status()).toBe(400);
  expect((await again.json()).error).toBe('invalid_grant');
});

test('a candidate who refuses sends the app access_denied', async ({ page, request }, testInfo) => {
  const arrived = await actAsTheApp(page);
  await signIn(page, CANDIDATE, '/compte');
  const { verifier, challenge } = pkce();
  const state = `refus-${testInfo.project.name}`;
  await page.goto(consentUrl(challenge, state));
  await page.getByRole('button', { name: 'Refuser' }).click();
  await expect(page.getByRole('heading', { name: "De retour dans l'application" })).toBeVisible();
  const back = arrived();
  expect(back.searchParams.get('error')).toBe('access_denied');
  expect(back.searchParams.get('state')).toBe(state);
  expect(back.searchParams.get('code')).toBeNull();
  // Nothing to exchange.
  const refused = await request.post('/api/v1/oauth/token', {
    form: { grant_type: 'authorization_code', code: 'inconnu', redirect_uri: REDIRECT, client_id: CLIENT_ID, code_verifier: verifier },
  });
  expect(refused.status()).toBe(400);
});

test('the app appears among the sessions of the account, which ends its access', async ({ page, request }, testInfo) => {
  const arrived = await actAsTheApp(page);
  await signIn(page, CANDIDATE, '/compte');
  const { verifier, challenge } = pkce();
  await page.goto(consentUrl(challenge, `compte-${testInfo.project.name}`));
  await page.getByRole('button', { name: 'Autoriser' }).click();
  await expect(page.getByRole('heading', { name: "De retour dans l'application" })).toBeVisible();
  const code = arrived().searchParams.get('code')!;
  const exchanged = await request.post('/api/v1/oauth/token', {
    form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT_ID, code_verifier: verifier },
  });
  const { refresh_token: refreshToken } = await exchanged.json();

  await page.goto('/compte');
  const sessions = page.getByTestId('sessions');
  await expect(sessions.getByText('Application « Passerelle mobile (démo) »').first()).toBeVisible();
  await expect(sessions.getByText('Lire et modifier votre profil et votre CV.').first()).toBeVisible();

  // The app signs the user out (RFC 7009): the refresh token is refused after.
  const revoked = await request.post('/api/v1/oauth/revoke', { form: { token: refreshToken, client_id: CLIENT_ID } });
  expect(revoked.status()).toBe(200);
  const refreshed = await request.post('/api/v1/oauth/token', {
    form: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID },
  });
  expect(refreshed.status()).toBe(400);
});
