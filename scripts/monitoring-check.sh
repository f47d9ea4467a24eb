#!/usr/bin/env bash
# Checks what operators watch (deploy/monitoring/):
#   scripts/monitoring-check.sh                  rules (promtool check + unit tests), dashboard, runbooks
#   scripts/monitoring-check.sh URL [TOKEN]      the same, then scrapes URL (a /metrics page, with
#                                                `Authorization: Bearer TOKEN` if given) and fails,
#                                                naming them, if metrics or labels the rules or the
#                                                dashboard read are not there
# The HTTP histograms exist only once requests were served (and the worker's
# figures may wait for its first tick): scrape a server that has served some
# (e.g. after the browser tests).
source "$(dirname "$0")/lib.sh"
cd "$ROOT/deploy/monitoring"

command -v promtool >/dev/null || die "promtool is missing: run scripts/setup.sh ops (Debian package prometheus)."

say "Alert rules (promtool check rules)"
promtool check rules alerts.yml || die "deploy/monitoring/alerts.yml is not a valid rule file."
say "Alert rules' unit tests (promtool test rules)"
promtool test rules alerts.test.yml || die "deploy/monitoring/alerts.test.yml: an alert does not behave as tested."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The dashboard's queries, as recording rules, so that promtool parses them
# too (Grafana's variables replaced by plausible values).
say "Grafana dashboard (JSON, queries, runbook anchors)"
python3 - "$work/dashboard-rules.yml" <<'PY' || exit 1
import json, re, sys

def die(msg):
    print(f"\033[1;31m✗ {msg}\033[0m", file=sys.stderr)
    sys.exit(1)

try:
    dash = json.load(open("grafana-dashboard.json", encoding="utf-8"))
except ValueError as e:
    die(f"deploy/monitoring/grafana-dashboard.json is not valid JSON: {e}")

def panels(items):
    for p in items:
        yield p
        yield from panels(p.get("panels", []))

exprs = []
for p in panels(dash.get("panels", [])):
    for t in p.get("targets", []):
        if "expr" in t:
            if t.get("datasource", p.get("datasource", {})).get("uid") != "${datasource}":
                die(f"dashboard panel «{p.get('title')}»: its datasource is not ${{datasource}}")
            exprs.append((p.get("title", "?"), t["expr"]))
if not exprs:
    die("the dashboard has no Prometheus query")
variables = {v["name"]: v for v in dash.get("templating", {}).get("list", [])}
ds = variables.get("datasource")
if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
    die("the dashboard lacks its `datasource` variable (type datasource, prometheus)")

with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, (title, expr) in enumerate(exprs):
        expr = expr.replace("$__rate_interval", "5m")
        expr = re.sub(r"\$(\w+)", lambda m: ".*" if m.group(1) in variables else m.group(0), expr)
        if "$" in expr.replace("$1", ""):
            die(f"dashboard panel «{title}»: unknown variable in {expr}")
        out.write(f"      - record: dashboard:query_{i}\n        expr: {json.dumps(expr)}\n")

# Every alert: a severity, French summary and description, a runbook anchor
# that README.md has (GitHub's anchor of a heading named after the alert).
readme = open("README.md", encoding="utf-8").read()
anchors = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
           for h in re.findall(r"^#+ (.+)$", readme, re.M)}
rules = open("alerts.yml", encoding="utf-8").read()
alerts = re.split(r"^\s*- alert: ", rules, flags=re.M)[1:]
for block in alerts:
    name = block.split()[0]
    severity = re.search(r"^\s*severity: (\S+)", block, re.M)
    if not severity or severity.group(1) not in ("page", "ticket"):
        die(f"alert {name}: severity must be page or ticket")
    for key in ("summary", "description"):
        if not re.search(rf"^\s*{key}: \S", block, re.M):
            die(f"alert {name}: no {key} annotation")
    runbook = re.search(r'^\s*runbook: "deploy/monitoring/README\.md#([^"]+)"', block, re.M)
    if not runbook:
        die(f"alert {name}: no runbook annotation pointing into deploy/monitoring/README.md")
    if runbook.group(1) != name.lower() or runbook.group(1) not in anchors:
        die(f"alert {name}: deploy/monitoring/README.md has no section «{name}» for its runbook #{runbook.group(1)}")
print(f"{len(exprs)} dashboard queries, {len(alerts)} alerts with their runbook")
PY
promtool check rules "$work/dashboard-rules.yml" >/dev/null \
  || { promtool check rules "$work/dashboard-rules.yml"; die "A dashboard query does not parse (above)."; }

[ $# -eq 0 ] && { say "Monitoring checked (no metrics URL given: names not compared)"; exit 0; }

url=$1 token=${2:-}
say "Metric names read by the rules and the dashboard, against $url"
python3 - "$url" "$token" "$work/dashboard-rules.yml" <<'PY'
import json, re, sys, urllib.request

url, token, dashboard_rules = sys.argv[1], sys.argv[2], sys.argv[3]

def die(msg):
    print(f"\033[1;31m✗ {msg}\033[0m", file=sys.stderr)
    sys.exit(1)

# Names Prometheus makes itself, not the binary; labels the scrape adds.
SYNTHETIC = {"up"}
TARGET_LABELS = {"namespace", "job", "instance", "pod", "__name__"}
KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan",
            # aggregations, also written `sum by (…) (…)`
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
            "bottomk", "topk", "quantile"}
GROUPING = {"by", "without", "on", "ignoring", "group_left", "group_right"}
TOKEN = re.compile(r'`[^`]*`|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\''
                   r'|\d+(?:ms|[smhdwy])\b|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_:][\w:]*|\S')

def expressions(path):
    """The `expr:` of a rule file: one line, or a `|` block."""
    lines, out, i = open(path, encoding="utf-8").read().split("\n"), [], 0
    while i < len(lines):
        m = re.match(r"^(\s*)expr: ?(.*)$", lines[i])
        i += 1
        if not m:
            continue
        if m.group(2).strip() in ("|", "|-", ">", ">-"):
            body = []
            while i < len(lines) and (not lines[i].strip()
                                      or len(lines[i]) - len(lines[i].lstrip()) > len(m.group(1))):
                body.append(lines[i])
                i += 1
            out.append("\n".join(body))
        else:
            v = m.group(2).strip()
            out.append(json.loads(v) if v.startswith('"') else v)
    return out

def scan(expr):
    """(metric names, {metric: labels in its matchers}, labels grouped on, labels made by label_replace)"""
    tokens = TOKEN.findall(expr)
    names, matchers, grouping, made = set(), {}, set(), set()
    i = 0
    while i < len(tokens):
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if t == "[":                                   # a range or subquery: no names inside
            while i < len(tokens) and tokens[i] != "]":
                i += 1
        elif t in GROUPING and nxt == "(":
            i += 2
            while i < len(tokens) and tokens[i] != ")":
                if re.match(r"[A-Za-z_]", tokens[i]):
                    grouping.add(tokens[i])
                i += 1
        elif t == "label_replace" and nxt == "(":
            depth, commas, j = 0, 0, i + 1
            while j < len(tokens):
                depth += {"(": 1, ")": -1}.get(tokens[j], 0)
                if depth == 0:
                    break
                if depth == 1 and tokens[j] == ",":
                    commas += 1
                elif depth == 1 and commas == 1 and tokens[j][0] in "\"'`":
                    made.add(tokens[j][1:-1])
                j += 1
        elif t == "{":                                 # a selector without a name
            while i < len(tokens) and tokens[i] != "}":
                i += 1
        elif re.match(r"[A-Za-z_:]", t) and nxt != "(" and t.lower() not in KEYWORDS:
            names.add(t)
            if nxt == "{":
                i += 2
                while i < len(tokens) and tokens[i] != "}":
                    if re.match(r"[A-Za-z_]", tokens[i]):
                        matchers.setdefault(t, set()).add(tokens[i])
                    i += 1
        i += 1
    return names, matchers, grouping, made

wanted, wanted_labels, grouped, made = {}, {}, {}, set()
for source, path in (("alerts.yml", "alerts.yml"), ("grafana-dashboard.json", dashboard_rules)):
    for expr in expressions(path):
        n, m, g, r = scan(expr)
        for name in n:
            wanted.setdefault(name, set()).add(source)
        for name, labels in m.items():
            wanted_labels.setdefault(name, set()).update(labels)
        for label in g:
            grouped.setdefault(label, set()).add(source)
        made |= r
for label in re.findall(r"\$labels\.(\w+)", open("alerts.yml", encoding="utf-8").read()):
    grouped.setdefault(label, set()).add("alerts.yml")
wanted = {n: s for n, s in wanted.items() if n not in SYNTHETIC and not n.startswith("dashboard:")}
if len(wanted) < 10:
    die(f"only {len(wanted)} metric names found in the rules and the dashboard: the extraction is broken")

request = urllib.request.Request(url)
if token:
    request.add_header("Authorization", f"Bearer {token}")
try:
    with urllib.request.urlopen(request, timeout=10) as answer:
        page = answer.read().decode("utf-8")
except Exception as e:
    die(f"could not read {url}: {e}")

# Every exported name, with the labels its samples carry.
exported = {}
for line in page.splitlines():
    m = re.match(r"^# TYPE (\S+) (\w+)", line)
    if m:
        exported.setdefault(m.group(1), set())
        if m.group(2) in ("histogram", "summary"):
            for suffix in ("_bucket", "_sum", "_count"):
                exported.setdefault(m.group(1) + suffix, set())
    elif line.strip() and not line.startswith("#"):
        name = re.match(r"^[^{\s]+", line).group(0)
        labels = exported.setdefault(name, set())
        if line[len(name):].startswith("{"):
            labels.update(re.findall(r'(\w+)="(?:\\.|[^"\\])*"', line[len(name):]))
if not exported:
    die(f"{url} exports no metric at all")

problems = []
for name in sorted(wanted):
    if name not in exported:
        problems.append(f"metric {name}")
        print(f"  missing  {name}  ({', '.join(sorted(wanted[name]))})")
        continue
    absent = sorted(wanted_labels.get(name, set()) - exported[name] - TARGET_LABELS)
    for label in absent:
        problems.append(f"label {label} of {name}")
    print(f"  {'ok     ' if not absent else 'labels?'}  {name}" + (f"  (no label {', '.join(absent)})" if absent else ""))
seen = set().union(*(exported[n] for n in wanted if n in exported))
for label in sorted(grouped):
    if label not in seen | TARGET_LABELS | made:
        problems.append(f"label {label}")
        print(f"  missing  label {label} (grouped on or shown by {', '.join(sorted(grouped[label]))})")
if problems:
    die(f"{len(problems)} name(s) read by deploy/monitoring/ but not exported by {url}: {'; '.join(problems)}")
print(f"all {len(wanted)} metric names and the labels read are exported")
PY
say "Monitoring checked"
