#!/usr/bin/env python3
"""Access tokens for the API's contract test (scripts/test.sh api), got the
way partners get them, from the demo data of the served site:

- an organisation's client: the demo recruiter (or the demo centre's
  member) signs in, creates an API client on the dashboard's server
  function (its secret shown once), and the client-credentials grant gives
  its token;
- a user's: the demo candidate signs in, consents to the demo app on
  /oauth/autoriser's form, and the app exchanges the code with its PKCE
  verifier.

Usage: api-tokens.py BASE_URL APP_CLIENT_ID REDIRECT_URI
Prints shell assignments: COMPANY_TOKEN=…, CENTRE_TOKEN=… and USER_TOKEN=…
Only the standard library: it runs in any Python 3."""

import base64
import hashlib
import http.cookiejar
import json
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE, APP_CLIENT_ID, REDIRECT_URI = sys.argv[1:4]
PASSWORD = "passerelle-demo-2026"
CANDIDATE = "camille.martin@demo.passerelle.fr"
# Each organisation's member and the scopes its client gets: all of its kind.
ORGANISATIONS = {
    "entreprise": ("recrutement@demo.passerelle.fr", ["offres:lecture", "offres:ecriture", "recrutement"]),
    "centre": ("formation@demo.passerelle.fr", ["formations:lecture", "formations:ecriture", "inscriptions"]),
}
USER_SCOPES = "profil candidatures favoris alertes"


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to read (its Location), not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


def browser():
    """A browser of the site: its own cookies, redirects not followed."""
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), KeepRedirects
    )


def post(opener, path, pairs, accept="application/json"):
    """A form posted from the site's own pages (the CSRF check reads Origin)."""
    request = urllib.request.Request(
        BASE + path,
        data=urllib.parse.urlencode(pairs).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": accept,
            "Origin": BASE,
        },
    )
    try:
        with opener.open(request) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers, answer.read()


def fail(what, status, body):
    sys.exit(f"api-tokens: {what} answered {status}: {body[:500]!r}")


def signed_in(email):
    opener = browser()
    status, _, body = post(opener, "/api/connexion", [("email", email), ("password", PASSWORD)])
    if status >= 400:
        fail(f"signing in as {email}", status, body)
    return opener


def token(pairs):
    status, _, body = post(browser(), "/api/v1/oauth/token", pairs)
    if status != 200:
        fail("the token endpoint", status, body)
    return json.loads(body)["access_token"]


def client_token(kind):
    email, scopes = ORGANISATIONS[kind]
    member = signed_in(email)
    form = [("kind", kind), ("name", "Schemathesis")]
    form += [("scopes[]", scope) for scope in scopes]
    status, _, body = post(member, "/api/organisation/clients-api/creer", form)
    if status != 200:
        fail("creating an API client", status, body)
    created = json.loads(body)
    return token(
        [
            ("grant_type", "client_credentials"),
            ("client_id", created["client_id"]),
            ("client_secret", created["secret"]),
        ]
    )


def user_token():
    candidate = signed_in(CANDIDATE)
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        .rstrip(b"=")
        .decode()
    )
    query = {
        "response_type": "code",
        "client_id": APP_CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": USER_SCOPES,
        "state": secrets.token_urlsafe(12),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    form = [(f"query[{name}]", value) for name, value in query.items()]
    form.append(("decision", "autoriser"))
    status, headers, body = post(candidate, "/api/oauth/autoriser", form, accept="text/html")
    location = headers.get("Location", "") if status in (302, 303) else ""
    given = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    if "code" not in given or given.get("state") != query["state"]:
        fail("the consent form", status, location.encode() or body)
    return token(
        [
            ("grant_type", "authorization_code"),
            ("code", given["code"]),
            ("redirect_uri", REDIRECT_URI),
            ("client_id", APP_CLIENT_ID),
            ("code_verifier", verifier),
        ]
    )


print(f"COMPANY_TOKEN={client_token('entreprise')}")
print(f"CENTRE_TOKEN={client_token('centre')}")
print(f"USER_TOKEN={user_token()}")
