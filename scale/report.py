#!/usr/bin/env python3
"""The scale test's report (scripts/scale-test.sh): one row per phase from
what the clients saw (wrk's answers per second, scale/load.py's timestamped
requests) and what HAProxy logged, then the acknowledged writes looked up
in the primary, the recruiter's changes read back (and how often the
replica already had them), the workers' e-mails, the replica's share of the
reads, and the goals. Exits 1 when a goal is missed.

Usage: report.py DIR PRIMARY_URL WRK_CONNECTIONS PY_THREADS CHECK_READ_SHARE DOCKER_LINE"""

import collections
import email
import glob
import json
import os
import re
import subprocess
import sys

DIR, PRIMARY_URL, WRK_CONNECTIONS, PY_THREADS, CHECK_SHARE, DOCKER_LINE = sys.argv[1:7]
# load.py's threads and its recruiter.
CONCURRENCY = int(WRK_CONNECTIONS) + int(PY_THREADS) + 1
READ_SHARE_MIN = float(os.environ.get("SCALE_READ_SHARE_MIN", "0.05"))

marks = [line.split() for line in open(os.path.join(DIR, "phases.txt")) if line.strip()]
marks = [(name, float(at)) for name, at in marks]
PHASES = [name for name, _ in marks if name != "end"]
END = dict(marks)["end"]


def phase_of(t):
    """The phase under way at epoch time t; the load's last requests after
    the end belong to the last phase, anything before the first to none."""
    current = None
    for name, start in marks:
        if t >= start and name != "end":
            current = name
    return current


def psql(sql):
    return subprocess.run(
        ["psql", "-X", "-At", "-F", " ", PRIMARY_URL, "-c", sql], check=True, capture_output=True, text=True
    ).stdout.split("\n")


rows = {name: collections.Counter() for name in PHASES}
examples = collections.defaultdict(list)

# wrk: answers per second and status (a second goes to the phase it starts in).
wrk = json.load(open(os.path.join(DIR, "load", "wrk.json")))
for second, by_status in wrk["seconds"].items():
    name = phase_of(float(second) + 0.5)
    if name is None:
        continue
    for status, n in by_status.items():
        rows[name]["wrk"] += n
        if int(status) >= 400:
            rows[name]["wrk_err"] += n
            examples[name].append(f"wrk: {n} × HTTP {status}")
wrk_socket_errors = wrk["connect"] + wrk["read"] + wrk["write"] + wrk["timeout"]

# load.py: every request with its outcome; "lagging" (an anonymous read the
# replica had not caught up with) is information, not a failure.
reads = collections.Counter()  # (op, outcome) of the recruiter's read-backs
for line in open(os.path.join(DIR, "load", "events.jsonl")):
    event = json.loads(line)
    name = phase_of(event["t0"])
    if name is None:
        continue
    rows[name]["py"] += 1
    outcome = event["outcome"]
    if event["op"].endswith(("offer_read", "offer_page")):
        reads[(event["op"], outcome)] += 1
    if outcome not in ("ok", "lagging"):
        rows[name]["py_" + outcome] += 1
        if len(examples[name]) < 12:
            examples[name].append(f"load.py {event['op']}: {outcome} {event['status']} {event['detail'][:120]}")

# HAProxy: every answer it gave, which replica served it, retries.
servers = set()
for line in open(os.path.join(DIR, "haproxy.log")):
    parts = line.split()
    if len(parts) < 8 or not parts[0][0].isdigit():
        continue
    at, method, path, status, server, term, retries = parts[:7]
    if method == "<BADREQ>" and term.startswith("CR"):
        continue  # a connection closed before any request: nothing asked
    name = phase_of(float(at))
    if name is None:
        continue
    rows[name]["lb"] += 1
    servers.add(server)
    rows[name]["lb_" + server] += 1
    if int(status) >= 500:
        rows[name]["lb_5xx"] += 1
        if len(examples[name]) < 12:
            examples[name].append(f"HAProxy: {status} {path} server={server} term={term} retries={retries}")
    if retries not in ("0", "-"):
        rows[name]["lb_retried"] += 1

replicas = sorted(s for s in servers if s.startswith("r"))
head = f"{'phase':<9} {'s':>4} {'wrk req':>8} {'err':>4} {'py req':>7} {'err':>4} {'signed out':>10} {'stale':>5} {'HAProxy':>8} {'5xx':>4} {'retried':>7}  {' / '.join(replicas)}"
print(head)
print("-" * len(head))
total = collections.Counter()
bounds = dict(marks)
for i, name in enumerate(PHASES):
    row = rows[name]
    total.update(row)
    seconds = (marks[i + 1][1] if i + 1 < len(marks) else END) - bounds[name]
    share = " / ".join(str(row["lb_" + s]) for s in replicas)
    print(
        f"{name:<9} {seconds:>4.0f} {row['wrk']:>8} {row['wrk_err']:>4} {row['py']:>7} {row['py_error']:>4} "
        f"{row['py_signed_out']:>10} {row['py_stale']:>5} {row['lb']:>8} {row['lb_5xx']:>4} {row['lb_retried']:>7}  {share}"
    )
print(
    f"{'total':<9} {END - marks[0][1]:>4.0f} {total['wrk']:>8} {total['wrk_err']:>4} {total['py']:>7} {total['py_error']:>4} "
    f"{total['py_signed_out']:>10} {total['py_stale']:>5} {total['lb']:>8} {total['lb_5xx']:>4} {total['lb_retried']:>7}"
)
print(
    f"wrk: {wrk['requests']} requests, p50 {wrk['p50_ms']:.0f} ms, p99 {wrk['p99_ms']:.0f} ms, "
    f"socket errors {wrk_socket_errors} (connect {wrk['connect']}, read {wrk['read']}, write {wrk['write']}, timeout {wrk['timeout']})"
)
for name in PHASES:
    for line in examples[name][:12]:
        print(f"  [{name}] {line}")

# Acknowledged writes, looked up in the primary.
acked = json.load(open(os.path.join(DIR, "load", "acked.json")))
deleted = {alert for _, alert in acked["alerts_deleted"]}
created = {alert for _, alert in acked["alerts_created"]}
kept = created - deleted
present = {int(x) for x in psql("SELECT id FROM saved_searches") if x}
missing_alerts = sorted(kept - present)
resurrected = sorted(deleted & present)
saved = {tuple(pair) for pair in acked["offers_saved"]}
saved_rows = {
    (line.split(" ")[0], int(line.split(" ")[1]))
    for line in psql("SELECT u.email, s.offer_id FROM saved_offers s JOIN users u ON u.id = s.user_id")
    if line
}
missing_saves = sorted(saved - saved_rows)
# The recruiter's offer: its title in the primary is the last acknowledged
# change's, or one tried after it without an answer (it may have been applied).
edits = acked.get("offer_edits", [])
edits_acked = [edit for edit in edits if edit[3]]
title_lost = 0
if edits_acked:
    offer_id, last_n, last_title, _ = edits_acked[-1]
    final_title = psql(f"SELECT title FROM job_offers WHERE id = {int(offer_id)}")[0]
    allowed = {last_title} | {edit[2] for edit in edits if edit[1] > last_n}
    title_lost = int(final_title not in allowed)
writes = len(acked["alerts_created"]) + len(acked["alerts_deleted"]) + len(acked["offers_saved"]) + len(edits_acked)
lost = len(missing_alerts) + len(resurrected) + len(missing_saves) + title_lost
print(
    f"Acknowledged writes: {writes} ({len(created)} alerts created, {len(deleted)} deleted, "
    f"{len(acked['offers_saved'])} offers saved, {len(edits_acked)} offer titles changed); lost: {lost} "
    f"(alerts missing {len(missing_alerts)}, deleted alerts back {len(resurrected)}, saved offers missing {len(missing_saves)}, "
    f"offer title not the last change {title_lost})"
)
if lost:
    print(f"  missing alerts {missing_alerts[:10]}, back {resurrected[:10]}, saves {missing_saves[:10]}")
if title_lost:
    print(f"  offer {offer_id}: title {final_title!r} in the primary, last acknowledged {last_title!r}")


def read_backs(op):
    """(reads, up to date) of one read-back."""
    done = sum(n for (name, _), n in reads.items() if name == op)
    return done, reads[(op, "ok")]


token_reads, page_reads = read_backs("api_offer_read"), read_backs("site_offer_page")
anon_api, anon_page = read_backs("anon_api_offer_read"), read_backs("anon_site_offer_page")
offer_stale = reads[("api_offer_read", "stale")] + reads[("site_offer_page", "stale")]
print(
    f"Recruiter: {len(edits_acked)} offer title changes acknowledged of {len(edits)}, read back at once "
    f"with the token {token_reads[0]} times ({reads[('api_offer_read', 'stale')]} stale), "
    f"with the session cookie {page_reads[0]} times ({reads[('site_offer_page', 'stale')]} stale)"
)
anon_share = (anon_api[1] + anon_page[1]) / (anon_api[0] + anon_page[0]) if anon_api[0] + anon_page[0] else 0.0
print(
    f"Replica lag (information): the same reads without cookie nor token were already up to date "
    f"{anon_api[1]}/{anon_api[0]} on the API, {anon_page[1]}/{anon_page[0]} on the page ({anon_share:.0%}; "
    f"the replica applies commits {os.environ.get('SCALE_REPLICA_DELAY_MS', '0')} ms late)"
)

# The workers: each newsletter job (one per subscriber and issue) once.
jobs = psql(
    "SELECT count(*), count(*) FILTER (WHERE done_at IS NOT NULL), count(*) FILTER (WHERE attempts > 1)"
    " FROM background_jobs WHERE kind = 'newsletter' AND payload ->> 'issue' IN"
    " (SELECT id::text FROM newsletter_issues WHERE subject LIKE 'Essai de charge%')"
)[0].split()
queued, done, retried_jobs = (int(x) for x in jobs)
mails = collections.Counter()
for path in glob.glob(os.path.join(DIR, "mail", "*.eml")):
    message = email.message_from_binary_file(open(path, "rb"))
    subject = str(email.header.make_header(email.header.decode_header(message.get("Subject", ""))))
    if subject.startswith("Essai de charge"):
        mails[(message.get("To", ""), subject)] += 1
twice = sum(1 for n in mails.values() if n > 1)
mail_missing = queued - len(mails)
# Which worker ran them: each tick logs "tâches exécutées : N".
ran = []
for n in (1, 2):
    path = os.path.join(DIR, "logs", f"worker-{n}.log")
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    ran.append(sum(int(x) for x in re.findall(r"tâches exécutées : (\d+)", text)))
print(
    f"Workers: {queued} mail jobs queued, {done} done ({ran[0]} by worker 1, {ran[1]} by worker 2), {retried_jobs} tried more than once; "
    f"mails received {sum(mails.values())} for {len(mails)} jobs: {twice} twice, {mail_missing} missing"
)

# The replica's share of the database work (pg_stat_database deltas).
stats = [line.split() for line in open(os.path.join(DIR, "pg-stats.txt")) if line.strip()]
first, last = stats[0], stats[-1]
p_x, p_t, r_x, r_t = (int(last[i]) - int(first[i]) for i in range(2, 6))
xact_share = r_x / (p_x + r_x) if p_x + r_x else 0.0
rows_share = r_t / (p_t + r_t) if p_t + r_t else 0.0
print(
    f"Database: primary {p_x} transactions, {p_t} rows read; replica {r_x} transactions, {r_t} rows read "
    f"(replica share: {xact_share:.0%} of transactions, {rows_share:.0%} of rows)"
)
print(DOCKER_LINE)

# Goals.
print()
failed = []


def goal(ok, text):
    print(("ok   " if ok else "FAIL ") + text)
    if not ok:
        failed.append(text)


roll = rows.get("rolling", collections.Counter())
kill = rows.get("sigkill", collections.Counter())
goal(
    roll["wrk_err"] + roll["py_error"] + roll["lb_5xx"] == 0,
    f"rolling restart: 0 failed requests (wrk {roll['wrk_err']}, load.py {roll['py_error']}, HAProxy 5xx {roll['lb_5xx']})",
)
kill_errors = kill["wrk_err"] + kill["py_error"]
goal(kill_errors <= CONCURRENCY, f"SIGKILL: {kill_errors} failed requests, at most the {CONCURRENCY} that can be in flight")
goal(wrk_socket_errors == 0, f"no socket error or timeout seen by wrk ({wrk_socket_errors})")
goal(lost == 0, f"acknowledged writes lost: {lost} of {writes}")
goal(total["py_signed_out"] == 0, f"session failures (signed out on a replica): {total['py_signed_out']}")
goal(total["py_stale"] == 0, f"stale reads of one's own write: {total['py_stale']} (of which the recruiter's offer {offer_stale})")
goal(
    token_reads[0] > 0 and page_reads[0] > 0,
    f"the recruiter's changes were read back (with the token {token_reads[0]}, with the cookie {page_reads[0]})",
)
goal(twice == 0 and mail_missing == 0 and retried_jobs == 0, f"jobs run once across 2 workers ({twice} twice, {mail_missing} missing)")
if CHECK_SHARE == "1":
    goal(xact_share >= READ_SHARE_MIN, f"the replica takes the reads: {xact_share:.0%} of transactions (at least {READ_SHARE_MIN:.0%})")
else:
    print("skip the replica's share of reads is not checked (binary without DATABASE_READ_URL, or SCALE_CHECK_READ_SHARE=0)")
goal(not DOCKER_LINE.startswith("FAIL"), "Docker image (built and ready, or no engine)")
print()
if failed:
    print(f"Scale test: {len(failed)} goal(s) missed — logs in {DIR}")
    sys.exit(1)
print(f"Scale test: every goal met — logs in {DIR}")
