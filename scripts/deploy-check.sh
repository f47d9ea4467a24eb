#!/usr/bin/env bash
# Renders the Kubernetes manifests (deploy/overlays/*) with Kustomize and
# validates every object, offline, in a few seconds:
# - Kubernetes kinds against the API's own schemas for one version, strictly
#   (an unknown or misspelt field is an error), with kubernetes-validate;
# - Argo Rollouts kinds (Rollout, AnalysisTemplate) against JSON schemas
#   generated from the project's CRDs (deploy/schemas/, from-crd.py), their
#   pod templates against Kubernetes' PodTemplateSpec;
# - what a schema cannot see: every ConfigMap, Service, AnalysisTemplate or
#   scale target named exists, every selector picks pods, every container
#   runs non-root on a read-only root filesystem, and a web pod's grace
#   period outlasts its preStop pause plus the drain and the grace it asks.
# A kind with no schema at all is an error, not a warning.
#   scripts/deploy-check.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

KUBERNETES_VERSION=1.30
VALIDATE_VENV="$TOOLS/kubernetes-validate"

command -v kubectl >/dev/null 2>&1 \
  || die "kubectl is missing: install it (package kubectl, or https://kubernetes.io/docs/tasks/tools/); only 'kubectl kustomize' is used, no cluster."
[ -x "$VALIDATE_VENV/bin/python" ] \
  || die "kubernetes-validate is missing: run scripts/setup.sh ops (it installs it in $VALIDATE_VENV)."

rendered="$(mktemp -d)"
trap 'rm -rf "$rendered"' EXIT
for overlay in deploy/overlays/*/; do
  name="$(basename "$overlay")"
  kubectl kustomize "$overlay" >"$rendered/$name.yaml" 2>"$rendered/$name.err" \
    || die "kubectl kustomize $overlay failed: $(cat "$rendered/$name.err")"
done
[ -n "$(ls "$rendered"/*.yaml 2>/dev/null)" ] || die "No overlay under deploy/overlays/."

say "Kubernetes manifests: rendering and validating deploy/overlays/* (Kubernetes $KUBERNETES_VERSION, strict)"
"$VALIDATE_VENV/bin/python" - "$KUBERNETES_VERSION" deploy/schemas "$rendered"/*.yaml <<'PY'
import json, os, re, sys

import jsonschema, yaml
from kubernetes_validate import utils
from kubernetes_validate.version import __version__
from referencing import Registry, Resource

version, schema_dir, files = sys.argv[1], sys.argv[2], sys.argv[3:]
# The definitions kubernetes-validate uses for that version, strict flavour:
# custom schemas point at them for ObjectMeta and PodTemplateSpec.
known = [v for v in utils.all_versions() if utils.major_minor(v) == version]
if not known:
    sys.exit(f"kubernetes-validate {__version__} has no schemas for Kubernetes {version}")
definitions = utils.schema_contents(
    f"kubernetes-json-schema/v{known[-1]}-local-strict/_definitions.json", version)
registry = Resource.from_contents(definitions) @ Registry()

# Secrets the operator creates by hand (deploy/README.md): never rendered.
OPERATOR_SECRETS = {"passerelle-secrets", "passerelle-tls"}
failed = 0


def fail(where, message):
    global failed
    failed += 1
    print(f"  ✗ {where}: {message}")


def custom_schema(obj):
    group, _, ver = obj["apiVersion"].rpartition("/")
    path = os.path.join(schema_dir, f"{obj['kind'].lower()}-{group.split('.')[0]}-{ver}.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f), os.path.basename(path)
    return None, None


def pod_templates(objs):
    for obj in objs:
        spec = obj.get("spec", {})
        if obj["kind"] in ("Deployment", "Rollout", "Job", "StatefulSet", "DaemonSet"):
            yield obj, spec.get("template", {})


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


for path in files:
    overlay = os.path.basename(path)[:-5]
    with open(path) as f:
        objs = [o for o in yaml.safe_load_all(f) if o]
    by_kind = {}
    for obj in objs:
        by_kind.setdefault(obj["kind"], set()).add(obj["metadata"]["name"])
    custom = set()

    # 1. Schemas.
    for obj in objs:
        where = f"{overlay}: {obj['kind']}/{obj['metadata']['name']}"
        try:
            utils.validate(obj, version, strict=True)
            continue
        except utils.ValidationError as e:
            fail(where, f"{'.'.join(map(str, e.path)) or '(top)'}: {e.message}")
            continue
        except utils.SchemaNotFoundError:
            pass
        schema, name = custom_schema(obj)
        if schema is None:
            fail(where, f"no schema for {obj['apiVersion']} {obj['kind']} (neither Kubernetes {version} nor {schema_dir}/)")
            continue
        custom.add(obj["kind"])
        validator = jsonschema.Draft202012Validator(schema, registry=registry)
        for e in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.path))):
            fail(where, f"{'.'.join(map(str, e.path)) or '(top)'}: {e.message} ({name})")

    # 2. What the schemas cannot see.
    templates = list(pod_templates(objs))
    for obj, template in templates:
        where = f"{overlay}: {obj['kind']}/{obj['metadata']['name']}"
        pod = template.get("spec", {})
        selector = obj.get("spec", {}).get("selector")
        if selector and not matches(selector, template.get("metadata", {}).get("labels", {})):
            fail(where, "spec.selector does not match the pod template's labels")
        pod_sc = pod.get("securityContext", {})
        for c in pod.get("containers", []) + pod.get("initContainers", []):
            sc = c.get("securityContext", {})
            if not (sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) and sc.get("readOnlyRootFilesystem")
                    and sc.get("allowPrivilegeEscalation") is False
                    and "ALL" in sc.get("capabilities", {}).get("drop", [])
                    and (sc.get("seccompProfile") or pod_sc.get("seccompProfile"))):
                fail(where, f"container {c['name']}: not non-root, read-only, without privileges and seccomp")
            ports = {p.get("name") for p in c.get("ports", [])}
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                port = c.get(probe, {}).get("httpGet", {}).get("port")
                if isinstance(port, str) and port not in ports:
                    fail(where, f"container {c['name']}: {probe} uses port '{port}', which it does not declare")
            refs = [e["configMapRef"]["name"] for e in c.get("envFrom", []) if "configMapRef" in e]
            refs += [e["valueFrom"]["configMapKeyRef"]["name"] for e in c.get("env", [])
                     if "configMapKeyRef" in e.get("valueFrom", {})]
            refs += [v["configMap"]["name"] for v in pod.get("volumes", []) if "configMap" in v]
            for ref in refs:
                if ref not in by_kind.get("ConfigMap", ()):
                    fail(where, f"ConfigMap {ref} is not among the rendered objects")
            secrets = [e["secretRef"]["name"] for e in c.get("envFrom", []) if "secretRef" in e]
            secrets += [e["valueFrom"]["secretKeyRef"]["name"] for e in c.get("env", [])
                        if "secretKeyRef" in e.get("valueFrom", {})]
            for ref in secrets:
                if ref not in OPERATOR_SECRETS | by_kind.get("Secret", set()):
                    fail(where, f"Secret {ref} is neither rendered nor one the operator creates")
            # A serving pod must outlive preStop + drain + grace, or it is killed mid-request.
            if c.get("args", [None])[0] == "serve":
                env = {}
                for cm in objs:
                    if cm["kind"] == "ConfigMap" and cm["metadata"]["name"] in refs:
                        env.update(cm.get("data", {}))
                env.update({e["name"]: e["value"] for e in c.get("env", []) if "value" in e})
                pause = c.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
                need = pause + int(env.get("SHUTDOWN_DRAIN_SECS", 5)) + int(env.get("SHUTDOWN_GRACE_SECS", 20))
                grace = pod.get("terminationGracePeriodSeconds", 30)
                if grace <= need:
                    fail(where, f"terminationGracePeriodSeconds {grace} must exceed preStop + SHUTDOWN_DRAIN_SECS + SHUTDOWN_GRACE_SECS = {need}")
    # A release applies the objects labelled passerelle/release-step=migrate,
    # runs the migration Job, then applies the rest (deploy/README.md): the
    # Job must find everything it uses in that first set.
    step = {(o["kind"], o["metadata"]["name"]) for o in objs
            if o["metadata"].get("labels", {}).get("passerelle/release-step") == "migrate"}
    for obj, template in templates:
        if ("Job", obj["metadata"]["name"]) not in step:
            continue
        pod = template.get("spec", {})
        needs = {("ServiceAccount", pod.get("serviceAccountName", "default"))} - {("ServiceAccount", "default")}
        needs |= {("Namespace", o["metadata"]["name"]) for o in objs if o["kind"] == "Namespace"}
        for c in pod.get("containers", []):
            needs |= {("ConfigMap", e["configMapRef"]["name"]) for e in c.get("envFrom", []) if "configMapRef" in e}
        for kind, name in sorted(needs - step):
            fail(f"{overlay}: Job/{obj['metadata']['name']}", f"{kind}/{name} lacks the label passerelle/release-step=migrate")
    for obj in objs:
        where = f"{overlay}: {obj['kind']}/{obj['metadata']['name']}"
        spec = obj.get("spec", {})
        if obj["kind"] in ("Service", "PodDisruptionBudget", "NetworkPolicy"):
            selector = spec.get("selector") if obj["kind"] == "Service" else spec.get("selector", spec.get("podSelector"))
            if obj["kind"] == "Service":
                selector = {"matchLabels": selector or {}}
            if selector and selector.get("matchLabels") and not any(
                    matches(selector, t.get("metadata", {}).get("labels", {})) for _, t in templates):
                fail(where, "its selector picks no pod of any workload")
        if obj["kind"] == "Ingress":
            for rule in spec.get("rules", []):
                for p in rule.get("http", {}).get("paths", []):
                    svc = p["backend"].get("service", {}).get("name")
                    if svc and svc not in by_kind.get("Service", ()):
                        fail(where, f"backend Service {svc} is not among the rendered objects")
        if obj["kind"] == "HorizontalPodAutoscaler":
            target = spec["scaleTargetRef"]
            if target["name"] not in by_kind.get(target["kind"], ()):
                fail(where, f"scale target {target['kind']}/{target['name']} is not among the rendered objects")
        if obj["kind"] == "Rollout":
            bg = spec.get("strategy", {}).get("blueGreen", {})
            for key in ("activeService", "previewService"):
                if bg.get(key) and bg[key] not in by_kind.get("Service", ()):
                    fail(where, f"{key} {bg[key]} is not among the rendered objects")
            for key in ("prePromotionAnalysis", "postPromotionAnalysis"):
                analysis = bg.get(key, {})
                given = {a["name"] for a in analysis.get("args", [])}
                for t in analysis.get("templates", []):
                    template = next((o for o in objs if o["kind"] == "AnalysisTemplate"
                                     and o["metadata"]["name"] == t["templateName"]), None)
                    if template is None:
                        fail(where, f"{key}: AnalysisTemplate {t['templateName']} is not among the rendered objects")
                        continue
                    for arg in template["spec"].get("args", []):
                        if "value" not in arg and "valueFrom" not in arg and arg["name"] not in given:
                            fail(where, f"{key}: {t['templateName']} needs the argument {arg['name']}")

    kinds = ", ".join(sorted(custom)) or "none"
    print(f"  {overlay}: {len(objs)} objects; custom kinds ({kinds}) checked against {schema_dir}/")

if failed:
    sys.exit(f"{failed} problem(s) in the Kubernetes manifests (kubernetes-validate {__version__}, Kubernetes {version}).")
print(f"  every object valid (kubernetes-validate {__version__}, Kubernetes {version}, strict)")
PY
