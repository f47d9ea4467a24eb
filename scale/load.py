#!/usr/bin/env python3
"""The scale test's signed-in load (scripts/scale-test.sh): candidates who
sign in on the site and through the API, write, and read their writes back,
while replicas restart behind HAProxy.

Each thread is one demo candidate with a site session (the sign-in form's
server function, cookie) and an API token (authorisation code with PKCE on
the demo app, as scripts/api-tokens.py gets it). In turn it:
- reads /compte: the session must be valid on whichever replica answers
  (an answer that sends it to /connexion is a session failure);
- creates an alert through the API, then reads it back at once (a 404 is a
  stale read), and another through the site's server function, read back
  in its list;
- saves an offer (PUT, idempotent) through the API;
- deletes its oldest alert (API or site) when it has more than 12 (20 at most).

One more thread is the demo recruiter, signed in on the site (cookie) and
with a token of the demo app for their account (the same OAuth flow,
scopes `offres:lecture offres:ecriture`). In a loop it changes the title of
one of its company's published offers (PATCH /api/v1/entreprise/offres/ID,
a counter in the title) and reads it back at once through the public
routes, where the database read follows the visitor: with the token only,
GET /api/v1/offres/SLUG, and with the cookie only, GET /offres/SLUG; an
old title is a stale read (the read went to the replica). The same reads
without cookie nor token (the replica's) are counted apart, up to date or
`lagging`: the replica's lag, not a goal.

Every request is timestamped (start, end) with its outcome: ok, error,
signed_out, stale or lagging. Every acknowledged write (2xx) is kept so that the
report can look for it in the primary afterwards.

Usage: load.py BASE OUT_DIR THREADS APP_CLIENT_ID REDIRECT_URI
  candidates' e-mails on stdin (one a line), offer ids in OUT_DIR/offers.txt;
  runs until OUT_DIR/stop exists; writes OUT_DIR/ready once every thread is
  signed in, then OUT_DIR/events.jsonl and OUT_DIR/acked.json
  (the recruiter's edits in order, acknowledged or not, under
  "offer_edits": [offer id, n, title, acknowledged]).
Only the standard library: it runs in any Python 3."""

import base64
import hashlib
import http.client
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse

BASE, OUT, THREADS, APP_CLIENT_ID, REDIRECT_URI = sys.argv[1:6]
THREADS = int(THREADS)
PASSWORD = "passerelle-demo-2026"
PAUSE = float(os.environ.get("SCALE_PY_PAUSE", "0.02"))
# Each change of an offer sets every cached page aside (the offers' version):
# the recruiter writes a few times a second, not as fast as it can.
RECRUITER_PAUSE = float(os.environ.get("SCALE_RECRUITER_PAUSE", "0.2"))
RECRUITER = "recrutement@demo.passerelle.fr"
MAX_LIVE_ALERTS = 12
HOST = urllib.parse.urlsplit(BASE).netloc
COOKIE = "passerelle_session"
WORDS = ["soudeur", "developpeur", "infirmier", "comptable", "cuisinier", "electricien", "vendeur"]

lock = threading.Lock()
events = []
acked = {"alerts_created": [], "alerts_deleted": [], "offers_saved": [], "offer_edits": []}
stop_file = os.path.join(OUT, "stop")


class Client:
    """One visitor: a kept-alive connection to HAProxy and a session cookie."""

    def __init__(self, who, cookies=True):
        self.who = who
        self.cookies = cookies  # False: never sends nor keeps a cookie
        self.cookie = None
        self.token = None
        self.conn = None
        self.port = None  # the local port of the connection, for HAProxy's log

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body); a broken connection is retried once
        on a new one only if the request never left (then raised)."""
        headers = dict(headers or {})
        headers.setdefault("Host", HOST)
        if self.cookie:
            headers["Cookie"] = f"{COOKIE}={self.cookie}"
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, timeout=30)
        self.port = self.conn.sock.getsockname()[1] if self.conn.sock else None
        try:
            self.conn.request(method, path, body=body, headers=headers)
            answer = self.conn.getresponse()
            data = answer.read()
        except Exception:
            self.conn.close()
            self.conn = None
            raise
        for name, value in answer.getheaders():
            if self.cookies and name.lower() == "set-cookie" and value.startswith(COOKIE + "="):
                self.cookie = value.split(";", 1)[0].split("=", 1)[1]
        if answer.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return answer.status, answer, data

    def form(self, path, pairs, accept="application/json"):
        return self.request(
            "POST",
            path,
            urllib.parse.urlencode(pairs).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": accept,
                "Origin": BASE,
            },
        )

    def api(self, method, path, payload=None):
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        return self.request(method, path, body, headers)


def record(op, started, status, outcome, detail=""):
    with lock:
        events.append(
            {"t0": started, "t1": time.time(), "op": op, "status": status, "outcome": outcome, "detail": detail}
        )


def timed(client, op, call, judge):
    """Runs call(); judge(status, body) gives the outcome; returns (status, body)
    or (None, None) when the request failed at the connection level."""
    started = time.time()
    try:
        status, answer, body = call()
    except Exception as error:  # a reset, a timeout: the client's error
        record(op, started, 0, "error", f"{type(error).__name__} (client port {client.port})")
        return None, None
    outcome = judge(status, answer, body)
    record(op, started, status, outcome, body[:200].decode("utf-8", "replace") if outcome != "ok" else "")
    return status, body


def expect(*codes):
    def judge(status, answer, body):
        if status in codes:
            return "ok"
        # The site says "sign in" when the session was not found.
        if status == 401 or (300 <= status < 400 and "/connexion" in (answer.getheader("Location") or "")):
            return "signed_out"
        return "error"

    return judge


def sign_in(client, scope="profil candidatures favoris alertes"):
    status, _, body = client.form("/api/connexion", [("email", client.who), ("password", PASSWORD)])
    if status >= 400 or not client.cookie:
        sys.exit(f"load.py: signing in as {client.who} answered {status}: {body[:300]!r}")
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "response_type": "code",
        "client_id": APP_CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": secrets.token_urlsafe(12),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    form = [(f"query[{name}]", value) for name, value in query.items()] + [("decision", "autoriser")]
    status, answer, body = client.form("/api/oauth/autoriser", form, accept="text/html")
    given = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(answer.getheader("Location") or "").query))
    if "code" not in given:
        sys.exit(f"load.py: consent as {client.who} answered {status}: {body[:300]!r}")
    status, _, body = Client(client.who).form(
        "/api/v1/oauth/token",
        [
            ("grant_type", "authorization_code"),
            ("code", given["code"]),
            ("redirect_uri", REDIRECT_URI),
            ("client_id", APP_CLIENT_ID),
            ("code_verifier", verifier),
        ],
    )
    if status != 200:
        sys.exit(f"load.py: token for {client.who} answered {status}: {body[:300]!r}")
    client.token = json.loads(body)["access_token"]


def run(client, offers, ready):
    live = []  # this user's alerts, oldest first: (id, made through "api" or "site")
    n = 0
    ready.wait()
    while not os.path.exists(stop_file):
        n += 1
        word = WORDS[n % len(WORDS)]
        timed(client, "compte", lambda: client.request("GET", "/compte", headers={"Accept": "text/html"}), expect(200))

        status, body = timed(
            client,
            "api_alert_create",
            lambda: client.api(
                "POST",
                "/api/v1/moi/alertes",
                {"scope": "offers", "query": f"q={word}", "label": f"scale {client.who} {n}", "frequency": "weekly"},
            ),
            expect(201),
        )
        if status == 201:
            alert = json.loads(body)["id"]
            with lock:
                acked["alerts_created"].append([client.who, alert])
            live.append((alert, "api"))
            timed(client, "api_alert_read", lambda: client.api("GET", f"/api/v1/moi/alertes/{alert}"), stale_if(404))

        status, body = timed(
            client,
            "site_alert_create",
            lambda: client.form(
                "/api/alertes/enregistrer",
                [("query", f"q={word}&contrat=cdi"), ("label", f"scale site {n}"), ("frequency", "daily"), ("scope", "offers")],
            ),
            expect(200),
        )
        if status == 200:
            alert = int(json.loads(body))
            with lock:
                acked["alerts_created"].append([client.who, alert])
            live.append((alert, "site"))
            timed(client, "site_alert_list", lambda: client.form("/api/alertes/mes-alertes", []), listed(alert))

        offer = offers[n % len(offers)]
        status, _ = timed(
            client, "api_offer_save", lambda: client.api("PUT", f"/api/v1/moi/favoris/offres/{offer}"), expect(200, 204)
        )
        if status in (200, 204):
            with lock:
                acked["offers_saved"].append([client.who, offer])

        while len(live) > MAX_LIVE_ALERTS:
            alert, _ = live[0]
            if n % 2:
                status, _ = timed(
                    client, "api_alert_delete", lambda: client.api("DELETE", f"/api/v1/moi/alertes/{alert}"), expect(204)
                )
                done = status == 204
            else:
                status, _ = timed(
                    client, "site_alert_delete", lambda: client.form("/api/alertes/supprimer", [("id", str(alert))]), expect(200)
                )
                done = status == 200
            if not done:
                break
            live.pop(0)
            with lock:
                acked["alerts_deleted"].append([client.who, alert])
        time.sleep(PAUSE)


def recruiter_run(site, desk, anonymous, offer, ready):
    """The recruiter: `desk` holds the token (no cookie), `site` the session
    cookie (no token), `anonymous` neither. Changes the offer's title and
    reads it back at once, identified (stale if old) and not (lagging)."""
    offer_id, slug, original = offer
    api_path, page_path = f"/api/v1/offres/{slug}", f"/offres/{slug}"
    n = 0
    ready.wait()
    while not os.path.exists(stop_file):
        n += 1
        title = f"{original[:120]} (essai {n})"
        status, _ = timed(
            desk,
            "api_offer_edit",
            lambda: desk.api("PATCH", f"/api/v1/entreprise/offres/{offer_id}", {"title": title}),
            expect(200),
        )
        # Unacknowledged ones too: one may have been applied all the same.
        with lock:
            acked["offer_edits"].append([offer_id, n, title, status == 200])
        if status == 200:
            timed(desk, "api_offer_read", lambda: desk.api("GET", api_path), titled(title, "stale"))
            json_only, page = {"Accept": "application/json"}, {"Accept": "text/html"}
            timed(
                anonymous,
                "anon_api_offer_read",
                lambda: anonymous.request("GET", api_path, headers=json_only),
                titled(title, "lagging"),
            )
            timed(site, "site_offer_page", lambda: site.request("GET", page_path, headers=page), shows(n, "stale"))
            timed(anonymous, "anon_site_offer_page", lambda: anonymous.request("GET", page_path, headers=page), shows(n, "lagging"))
        time.sleep(RECRUITER_PAUSE)


def titled(title, otherwise):
    """The API's offer must have this title, else `otherwise`."""
    plain = expect(200)

    def judge(status, answer, body):
        outcome = plain(status, answer, body)
        if outcome == "ok" and json.loads(body).get("title") != title:
            return otherwise
        return outcome

    return judge


def shows(n, otherwise):
    """The offer's page must show change n's title, else `otherwise`."""
    plain = expect(200)
    mark = f"(essai {n})".encode()

    def judge(status, answer, body):
        outcome = plain(status, answer, body)
        if outcome == "ok" and mark not in body:
            return otherwise
        return outcome

    return judge


def recruiter_offer(desk):
    """One of the recruiter's company's published offers: (id, slug, title),
    checked writable (its title written back unchanged)."""
    status, _, body = desk.api("GET", "/api/v1/entreprise/offres")
    if status != 200:
        sys.exit(f"load.py: the recruiter's offers answered {status}: {body[:300]!r}")
    published = [item for item in json.loads(body)["items"] if item["status"] == "published"]
    if not published:
        sys.exit(f"load.py: {RECRUITER} has no published offer")
    offer = published[0]
    status, _, body = desk.api("PATCH", f"/api/v1/entreprise/offres/{offer['id']}", {"title": offer["title"]})
    if status != 200:
        sys.exit(f"load.py: changing offer {offer['id']} answered {status}: {body[:300]!r}")
    return offer["id"], offer["slug"], offer["title"]


def stale_if(code):
    plain = expect(200)

    def judge(status, answer, body):
        return "stale" if status == code else plain(status, answer, body)

    return judge


def listed(alert):
    plain = expect(200)

    def judge(status, answer, body):
        outcome = plain(status, answer, body)
        if outcome == "ok" and alert not in [item.get("id") for item in json.loads(body)]:
            return "stale"
        return outcome

    return judge


def main():
    emails = [line.strip() for line in sys.stdin if line.strip()]
    if len(emails) < THREADS:
        sys.exit(f"load.py: {THREADS} threads need {THREADS} candidates, got {len(emails)}")
    offers = [int(line) for line in open(os.path.join(OUT, "offers.txt")) if line.strip()]
    clients = [Client(email) for email in emails[:THREADS]]
    for client in clients:
        sign_in(client)
    # The recruiter: the token (user's, for their company) goes to its own
    # client without a cookie, so that each read is identified one way only.
    site = Client(RECRUITER)
    sign_in(site, "offres:lecture offres:ecriture")
    desk, anonymous = Client(RECRUITER, cookies=False), Client("anonyme", cookies=False)
    desk.token, site.token = site.token, None
    offer = recruiter_offer(desk)
    # The detectors themselves: without a cookie /compte must read as signed
    # out, and an alert that is not there as a stale read.
    stranger = Client("nobody")
    status, answer, body = stranger.request("GET", "/compte", headers={"Accept": "text/html"})
    if expect(200)(status, answer, body) != "signed_out":
        sys.exit(f"load.py: /compte without a session answered {status}, not a way to /connexion")
    status, answer, body = clients[0].api("GET", "/api/v1/moi/alertes/999999999")
    if stale_if(404)(status, answer, body) != "stale":
        sys.exit(f"load.py: a missing alert answered {status}, not 404")
    # And an offer read with a title it does not have.
    status, answer, body = desk.api("GET", f"/api/v1/offres/{offer[1]}")
    if titled(offer[2] + " (essai 0)", "stale")(status, answer, body) != "stale":
        sys.exit(f"load.py: offer {offer[1]} answered {status}, not its old title")
    status, answer, body = site.request("GET", f"/offres/{offer[1]}", headers={"Accept": "text/html"})
    if shows(0, "stale")(status, answer, body) != "stale" or shows(0, "stale")(200, answer, b"(essai 0)") != "ok":
        sys.exit(f"load.py: the page of offer {offer[1]} answered {status}, not its old title")
    ready = threading.Event()
    threads = [threading.Thread(target=run, args=(client, offers, ready)) for client in clients]
    threads.append(threading.Thread(target=recruiter_run, args=(site, desk, anonymous, offer, ready)))
    for thread in threads:
        thread.start()
    open(os.path.join(OUT, "ready"), "w").close()
    ready.set()
    for thread in threads:
        thread.join()
    with open(os.path.join(OUT, "events.jsonl"), "w") as out:
        for event in sorted(events, key=lambda e: e["t0"]):
            out.write(json.dumps(event) + "\n")
    with open(os.path.join(OUT, "acked.json"), "w") as out:
        json.dump(acked, out)


main()
