#!/usr/bin/python3
"""Checks the agent's Kubernetes manifests in deploy/kubernetes.

Usage: validate_manifests.py REPO_DIR

Every object must validate against the Kubernetes v1.34 JSON Schema of its kind (in
tests/fixtures/k8s/schemas/jsonschema-v1.34-ricoberger). Those schemas accept unknown fields, and
the API server would drop a misspelt one silently (`readOnlyRootFilesytem: true` protects
nothing), so a strict check of our own walks each object beside its schema's `properties` and
refuses any field the schema does not name. Then the settings the deployment promises are
asserted: a non-root, unprivileged, read-only container with limits and probes, its settings from
the Secret and the downward API, and a ClusterRole that grants exactly what the agent uses, with no
wildcards and nothing on secrets. The checkers are also run on broken copies, to show they catch
what they are for.

Runs on Debian's python3-jsonschema and python3-yaml (scripts/setup.sh).
"""

import copy
import json
import pathlib
import re
import sys

import jsonschema
import yaml

SCHEMA_DIR = "tests/fixtures/k8s/schemas/jsonschema-v1.34-ricoberger"
MANIFEST_DIR = "deploy/kubernetes"
NAMESPACE = "corral-system"
AGENT_USER = 65532
HEALTH_PORT = 8421

SCHEMA_FILES = {
    ("v1", "Namespace"): "namespace-v1.json",
    ("v1", "ServiceAccount"): "serviceaccount-v1.json",
    ("v1", "Secret"): "secret-v1.json",
    ("v1", "ConfigMap"): "configmap-v1.json",
    ("apps/v1", "Deployment"): "deployment-apps-v1.json",
    ("rbac.authorization.k8s.io/v1", "ClusterRole"): "clusterrole-rbac-v1.json",
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): "clusterrolebinding-rbac-v1.json",
}

CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding"}

# Snapshots are taken with LIST (and pods/log read with GET); the agent never watches.
READ = {"get", "list"}
# (API group, resource) -> verbs: exactly what corral-agent uses, nothing more.
EXPECTED_GRANTS = {
    ("", "pods"): READ | {"delete"},
    ("", "pods/log"): {"get"},
    ("", "nodes"): READ,
    ("", "namespaces"): READ,
    ("", "events"): READ,
    ("", "configmaps"): READ,
    ("", "services"): READ,
    ("apps", "deployments"): READ | {"patch"},
    ("apps", "deployments/scale"): {"patch"},
    ("apps", "replicasets"): READ,
    ("apps", "statefulsets"): READ | {"patch"},
    ("apps", "statefulsets/scale"): {"patch"},
    ("apps", "daemonsets"): READ | {"patch"},
    ("networking.k8s.io", "ingresses"): READ,
}

# Keys of the agent's YAML file whose values are free-form maps.
FREE_FORM_AGENT_KEYS = {"labels", "capabilities"}


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, what, problems):
        """Records one check; `problems` is a list of strings, empty when it passed."""
        if problems:
            self.failed += 1
            print(f"FAIL  {what}")
            for p in problems:
                print(f"        {p}")
        else:
            self.passed += 1
            print(f"ok    {what}")


# ------------------------------------------------------------------------------------------------
# loading


def load_manifests(directory):
    """(file name, object) for every object of every YAML file but the kustomization."""
    objects = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        with open(path, encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                if doc is not None:
                    objects.append((path.name, doc))
    return objects


def load_schema(schema_dir, obj):
    name = SCHEMA_FILES.get((obj.get("apiVersion"), obj.get("kind")))
    if name is None:
        return None
    with open(schema_dir / name, encoding="utf-8") as f:
        return json.load(f)


def label(file_name, obj):
    return f"{file_name}: {obj.get('kind')} {obj.get('metadata', {}).get('name')}"


# ------------------------------------------------------------------------------------------------
# schema checks


def schema_problems(schema, obj):
    # The generated schemas declare no draft; their keywords mean the same in draft 7.
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
    ]


def branches(schema):
    """The schema and the alternatives it lists, for nodes such as int-or-string."""
    out = [schema]
    for key in ("oneOf", "anyOf", "allOf"):
        out.extend(s for s in schema.get(key, []) if isinstance(s, dict))
    return out


def unknown_fields(node, schema, path="", problems=None):
    """Fields of `node` that its schema does not name, walking objects and lists together."""
    if problems is None:
        problems = []
    if isinstance(node, dict):
        named = {}
        additional = None
        for s in branches(schema):
            named.update(s.get("properties", {}))
            if isinstance(s.get("additionalProperties"), dict):
                additional = s["additionalProperties"]
        if not named and additional is None:
            return problems  # a free-form object: nothing to compare with
        for key, value in node.items():
            where = f"{path}.{key}" if path else key
            if key in named:
                unknown_fields(value, named[key], where, problems)
            elif additional is not None:
                unknown_fields(value, additional, where, problems)
            else:
                problems.append(f"{where}: unknown field (the schema has "
                                f"{', '.join(sorted(named))})")
    elif isinstance(node, list):
        items = next((s["items"] for s in branches(schema) if isinstance(s.get("items"), dict)),
                     None)
        if items is not None:
            for i, value in enumerate(node):
                unknown_fields(value, items, f"{path}[{i}]", problems)
    return problems


# ------------------------------------------------------------------------------------------------
# what the deployment promises


def by_kind(objects, kind):
    return [obj for _, obj in objects if obj.get("kind") == kind]


def one(objects, kind):
    found = by_kind(objects, kind)
    if len(found) != 1:
        raise LookupError(f"expected one {kind}, found {len(found)}")
    return found[0]


def port_number(container, port):
    if isinstance(port, int):
        return port
    for p in container.get("ports") or []:
        if p.get("name") == port:
            return p.get("containerPort")
    return None


def flatten(mapping, prefix=""):
    """Dotted keys of a nested mapping, stopping at the agent's free-form maps."""
    keys = []
    for key, value in mapping.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and key not in FREE_FORM_AGENT_KEYS:
            keys.extend(flatten(value, dotted + "."))
        else:
            keys.append(dotted)
    return keys


def documented_agent_keys(docs_path):
    """The keys in the corral-agent table of docs/configuration.md."""
    text = docs_path.read_text(encoding="utf-8")
    section = text.split("## corral-agent", 1)[1]
    return set(re.findall(r"^\| `([a-z_.]+)` \|", section, flags=re.MULTILINE))


def deployment_problems(objects):
    problems = []
    deployment = one(objects, "Deployment")
    spec = deployment.get("spec", {})
    pod = spec.get("template", {}).get("spec", {})
    if spec.get("replicas") != 1:
        problems.append(f"spec.replicas: expected 1, got {spec.get('replicas')}")

    pod_sc = pod.get("securityContext") or {}
    if pod_sc.get("runAsNonRoot") is not True:
        problems.append("pod securityContext.runAsNonRoot: expected true")
    if pod_sc.get("runAsUser") != AGENT_USER:
        problems.append(f"pod securityContext.runAsUser: expected {AGENT_USER}")
    if (pod_sc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        problems.append("pod securityContext.seccompProfile.type: expected RuntimeDefault")
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(key):
            problems.append(f"pod {key}: must not be set")

    accounts = [a["metadata"]["name"] for a in by_kind(objects, "ServiceAccount")]
    if pod.get("serviceAccountName") not in accounts:
        problems.append(f"serviceAccountName: expected one of {accounts}")

    volumes = {v.get("name"): v for v in pod.get("volumes") or []}
    containers = (pod.get("containers") or []) + (pod.get("initContainers") or [])
    if not pod.get("containers"):
        problems.append("no containers")
    secrets = {s["metadata"]["name"]: s for s in by_kind(objects, "Secret")}
    for c in containers:
        name = c.get("name")
        sc = c.get("securityContext") or {}
        if sc.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{name}: allowPrivilegeEscalation: expected false")
        if sc.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{name}: readOnlyRootFilesystem: expected true")
        if sc.get("privileged"):
            problems.append(f"{name}: privileged: must not be set")
        caps = sc.get("capabilities") or {}
        if caps.get("drop") != ["ALL"]:
            problems.append(f"{name}: capabilities.drop: expected [ALL], got {caps.get('drop')}")
        if caps.get("add"):
            problems.append(f"{name}: capabilities.add: expected none, got {caps.get('add')}")
        if sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is not True:
            problems.append(f"{name}: runAsNonRoot: expected true")
        if sc.get("runAsUser", pod_sc.get("runAsUser")) != AGENT_USER:
            problems.append(f"{name}: runAsUser: expected {AGENT_USER}")
        seccomp = sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}
        if seccomp.get("type") != "RuntimeDefault":
            problems.append(f"{name}: seccompProfile.type: expected RuntimeDefault")

        resources = c.get("resources") or {}
        for part in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in (resources.get(part) or {}):
                    problems.append(f"{name}: resources.{part}.{resource}: missing")

        for probe_name, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            probe = c.get(probe_name) or {}
            http = probe.get("httpGet")
            if http is None:
                problems.append(f"{name}: {probe_name}: expected an httpGet probe")
                continue
            if http.get("path") != path or port_number(c, http.get("port")) != HEALTH_PORT:
                problems.append(f"{name}: {probe_name}: expected GET {path} on port "
                                f"{HEALTH_PORT}, got {http.get('path')} on {http.get('port')}")

        env = {e.get("name"): e for e in c.get("env") or []}
        from_secret = set()
        for source in c.get("envFrom") or []:
            ref = (source.get("secretRef") or {}).get("name")
            if ref in secrets:
                data = {**(secrets[ref].get("stringData") or {}), **(secrets[ref].get("data") or {})}
                from_secret.update(data)
        for e in env.values():
            if ((e.get("valueFrom") or {}).get("secretKeyRef") or {}).get("name") in secrets:
                from_secret.add(e["name"])
        for var in ("CORRAL_ENROLLMENT_TOKEN", "CORRAL_CLUSTER_ID", "CORRAL_SERVER_URL"):
            if var not in from_secret:
                problems.append(f"{name}: {var}: expected from a Secret of these manifests")
        downward = {((e.get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath")
                    for e in env.values()}
        for field in ("metadata.name", "metadata.namespace"):
            if field not in downward:
                problems.append(f"{name}: no variable from the downward API's {field}")

        state_dir = (env.get("CORRAL_STATE_DIR") or {}).get("value")
        mounts = {m.get("mountPath"): m.get("name") for m in c.get("volumeMounts") or []}
        state_volume = volumes.get(mounts.get(state_dir), {})
        if state_dir is None or "emptyDir" not in state_volume:
            problems.append(f"{name}: CORRAL_STATE_DIR ({state_dir}) is not on an emptyDir volume")
    return problems


def config_problems(objects, docs_path):
    problems = []
    config_map = one(objects, "ConfigMap")
    text = (config_map.get("data") or {}).get("agent.yaml")
    if text is None:
        return ["ConfigMap: no agent.yaml"]
    config = yaml.safe_load(text)
    if not isinstance(config, dict):
        return ["agent.yaml: expected a mapping"]
    known = documented_agent_keys(docs_path)
    for key in flatten(config):
        if key not in known:
            problems.append(f"agent.yaml: key '{key}' is not in docs/configuration.md")

    deployment = one(objects, "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    mounts = {m["name"]: m["mountPath"] for m in container.get("volumeMounts") or []}
    config_volumes = [v["name"] for v in pod.get("volumes") or []
                      if (v.get("configMap") or {}).get("name") == config_map["metadata"]["name"]]
    args = container.get("args") or []
    if not config_volumes or "--config" not in args:
        problems.append("the Deployment neither mounts the ConfigMap nor passes --config")
    else:
        path = args[args.index("--config") + 1]
        if path != f"{mounts.get(config_volumes[0])}/agent.yaml":
            problems.append(f"--config {path} is not the mounted ConfigMap's agent.yaml")
    listen = config.get("health_listen", f"0.0.0.0:{HEALTH_PORT}")
    if not str(listen).endswith(f":{HEALTH_PORT}"):
        problems.append(f"agent.yaml: health_listen {listen} is not the probes' port")
    return problems


def rbac_problems(objects):
    problems = []
    for role in by_kind(objects, "ClusterRole") + by_kind(objects, "Role"):
        grants = {}
        for i, rule in enumerate(role.get("rules") or []):
            where = f"{role['metadata']['name']} rules[{i}]"
            if rule.get("nonResourceURLs"):
                problems.append(f"{where}: nonResourceURLs are not needed")
            if rule.get("resourceNames"):
                problems.append(f"{where}: resourceNames would not limit a list")
            for field in ("apiGroups", "resources", "verbs"):
                if "*" in (rule.get(field) or []):
                    problems.append(f"{where}: wildcard in {field}")
            for resource in rule.get("resources") or []:
                if resource.split("/")[0] == "secrets":
                    problems.append(f"{where}: grants {rule.get('verbs')} on {resource}")
            for group in rule.get("apiGroups") or []:
                for resource in rule.get("resources") or []:
                    grants.setdefault((group, resource), set()).update(rule.get("verbs") or [])
        for key in sorted(set(grants) | set(EXPECTED_GRANTS)):
            got = grants.get(key, set())
            want = EXPECTED_GRANTS.get(key, set())
            if got != want:
                group, resource = key
                problems.append(f"{group or 'core'}/{resource}: grants {sorted(got)}, the agent "
                                f"uses {sorted(want)}")
    roles = {r["metadata"]["name"] for r in by_kind(objects, "ClusterRole")}
    accounts = {(a["metadata"]["name"], a["metadata"].get("namespace"))
                for a in by_kind(objects, "ServiceAccount")}
    bindings = by_kind(objects, "ClusterRoleBinding")
    if not bindings:
        problems.append("no ClusterRoleBinding")
    for b in bindings:
        ref = b.get("roleRef") or {}
        if ref.get("kind") != "ClusterRole" or ref.get("name") not in roles:
            problems.append(f"{b['metadata']['name']}: roleRef is not a ClusterRole of these files")
        for s in b.get("subjects") or []:
            if s.get("kind") != "ServiceAccount" or (s.get("name"), s.get("namespace")) not in accounts:
                problems.append(f"{b['metadata']['name']}: subject {s} is not our ServiceAccount")
    return problems


def namespace_problems(objects):
    problems = []
    names = [n["metadata"]["name"] for n in by_kind(objects, "Namespace")]
    if names != [NAMESPACE]:
        problems.append(f"expected one Namespace {NAMESPACE}, got {names}")
    for file_name, obj in objects:
        ns = obj.get("metadata", {}).get("namespace")
        if obj.get("kind") in CLUSTER_SCOPED:
            if ns is not None:
                problems.append(f"{label(file_name, obj)}: cluster-scoped but has a namespace")
        elif ns != NAMESPACE:
            problems.append(f"{label(file_name, obj)}: namespace {ns}, expected {NAMESPACE}")
    return problems


def kustomization_problems(directory):
    path = directory / "kustomization.yaml"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        k = yaml.safe_load(f)
    problems = []
    allowed = {"apiVersion", "kind", "resources", "images", "namespace", "labels",
               "commonAnnotations"}
    problems += [f"kustomization.yaml: unknown field {key}" for key in k if key not in allowed]
    listed = set(k.get("resources") or [])
    present = {p.name for p in directory.glob("*.yaml")} - {"kustomization.yaml"}
    problems += [f"kustomization.yaml: {r} does not exist" for r in sorted(listed - present)]
    problems += [f"kustomization.yaml: {r} is not listed" for r in sorted(present - listed)]
    return problems


# ------------------------------------------------------------------------------------------------
# main


def self_tests(objects, schema_dir, docs_path, report):
    """The checkers on broken copies: each must find the breakage it is for."""
    def broken(kind, edit):
        copied = copy.deepcopy(objects)
        edit(one(copied, kind))
        return copied

    def pod_of(d):
        return d["spec"]["template"]["spec"]

    def container_of(d):
        return pod_of(d)["containers"][0]

    deployment = one(objects, "Deployment")
    typo = copy.deepcopy(deployment)
    sc = container_of(typo)["securityContext"]
    sc["readOnlyRootFilesytem"] = sc.pop("readOnlyRootFilesystem")
    found = unknown_fields(typo, load_schema(schema_dir, typo))
    report.check("self-test: a misspelt field is found by the strict check",
                 [] if any("readOnlyRootFilesytem" in p for p in found) else
                 ["the misspelt readOnlyRootFilesytem went unnoticed"])
    report.check("self-test: a misspelt field passes the schema alone (why the strict check exists)",
                 [] if not schema_problems(load_schema(schema_dir, typo), typo) else
                 ["the schema refused it by itself"])

    def expect(what, problems_fn, needle):
        problems = problems_fn()
        report.check(f"self-test: {what}",
                     [] if any(needle in p for p in problems) else
                     [f"not caught (problems: {problems})"])

    expect("a wildcard verb is refused",
           lambda: rbac_problems(broken("ClusterRole",
                                        lambda r: r["rules"][0]["verbs"].append("*"))),
           "wildcard in verbs")
    expect("a grant on secrets is refused",
           lambda: rbac_problems(broken("ClusterRole",
                                        lambda r: r["rules"][0]["resources"].append("secrets"))),
           "on secrets")
    expect("a verb the agent does not use is refused",
           lambda: rbac_problems(broken("ClusterRole",
                                        lambda r: r["rules"][0]["verbs"].append("create"))),
           "grants")
    expect("a root user is refused",
           lambda: deployment_problems(broken(
               "Deployment", lambda d: pod_of(d)["securityContext"].update(runAsUser=0))),
           "runAsUser")
    expect("privilege escalation is refused",
           lambda: deployment_problems(broken(
               "Deployment",
               lambda d: container_of(d)["securityContext"].update(allowPrivilegeEscalation=True))),
           "allowPrivilegeEscalation")
    expect("a missing memory limit is refused",
           lambda: deployment_problems(broken(
               "Deployment", lambda d: container_of(d)["resources"]["limits"].pop("memory"))),
           "limits.memory")
    expect("an undocumented agent.yaml key is refused",
           lambda: config_problems(broken(
               "ConfigMap", lambda c: c["data"].update({"agent.yaml": "poll_intervall: 5s\n"})),
               docs_path),
           "poll_intervall")


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    repo = pathlib.Path(argv[1])
    schema_dir = repo / SCHEMA_DIR
    manifest_dir = repo / MANIFEST_DIR
    docs_path = repo / "docs" / "configuration.md"
    report = Report()

    objects = load_manifests(manifest_dir)
    report.check(f"{MANIFEST_DIR} holds manifests", [] if objects else ["no objects found"])
    for file_name, obj in objects:
        schema = load_schema(schema_dir, obj)
        if schema is None:
            report.check(label(file_name, obj),
                         [f"no schema for {obj.get('apiVersion')} {obj.get('kind')}"])
            continue
        report.check(f"{label(file_name, obj)}: valid against the v1.34 schema",
                     schema_problems(schema, obj))
        report.check(f"{label(file_name, obj)}: no field unknown to the schema",
                     unknown_fields(obj, schema))

    checks = [
        ("the Deployment: one non-root, unprivileged, read-only replica with limits and probes",
         lambda: deployment_problems(objects)),
        ("the ClusterRole grants exactly what the agent uses: no wildcards, nothing on secrets",
         lambda: rbac_problems(objects)),
        ("the agent's configuration file uses documented keys and matches the Deployment",
         lambda: config_problems(objects, docs_path)),
        (f"everything namespaced lives in {NAMESPACE}", lambda: namespace_problems(objects)),
        ("the kustomization lists every manifest", lambda: kustomization_problems(manifest_dir)),
    ]
    for what, fn in checks:
        try:
            report.check(what, fn())
        except (LookupError, KeyError, TypeError) as e:
            report.check(what, [f"cannot check: {e!r}"])

    try:
        self_tests(objects, schema_dir, docs_path, report)
    except (LookupError, KeyError, TypeError) as e:
        report.check("self-tests", [f"cannot run: {e!r}"])

    print(f"{report.passed} passed, {report.failed} failed")
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
