"""Who can reach what in deploy/kubernetes: the Ingress routes, and the network policies
evaluated as the cluster would (a pod selected by some policy admits only what a rule of one of
them allows). Each check returns the problems found, as sentences."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.unit.kubernetes_checks import Manifest, of_kind
from tests.unit.kubernetes_references import SERVICES, pod_labels, selects

NAMESPACE = "lamadi"
PUBLIC = {"portal", "intake"}
# Only the portal calls the other services' HTTP APIs (services talk through events otherwise).
CALLS = {("portal", "intake"), ("portal", "review"), ("portal", "notifier"), ("portal", "reporting")}
# Pod labels the operators give their servers' pods.
POSTGRES_POD = {"cnpg.io/cluster": "lamadi-postgres"}
RABBITMQ_POD = {"app.kubernetes.io/name": "lamadi-rabbitmq"}


@dataclass(frozen=True)
class Caller:
    name: str
    namespace: str = NAMESPACE
    labels: dict = field(default_factory=dict, hash=False)


def admits(manifests: list[Manifest], caller: Caller, target: dict, port: int) -> bool:
    policies = [p.doc["spec"] for p in of_kind(manifests, "NetworkPolicy")
                if selects(p.doc["spec"]["podSelector"], target) and "Ingress" in p.doc["spec"].get("policyTypes", ["Ingress"])]
    if not policies:
        return True  # a pod no policy selects is open
    return any(port_allowed(rule.get("ports"), port) and peer_allowed(rule.get("from"), caller)
               for policy in policies for rule in policy.get("ingress", []))


def port_allowed(ports: list[dict] | None, port: int) -> bool:
    return not ports or any(p["port"] <= port <= p.get("endPort", p["port"]) for p in ports)


def peer_allowed(peers: list[dict] | None, caller: Caller) -> bool:
    if peers is None:
        return True
    for peer in peers:
        if "ipBlock" in peer:
            continue  # addresses, not pods: checked apart (no_ip_blocks)
        namespace_ok = (selects(peer["namespaceSelector"], {"kubernetes.io/metadata.name": caller.namespace})
                        if "namespaceSelector" in peer else caller.namespace == NAMESPACE)
        if namespace_ok and selects(peer.get("podSelector", {}), caller.labels):
            return True
    return False


def callers(manifests: list[Manifest]) -> list[Caller]:
    own = [Caller(m.name, labels=pod_labels(m)) for m in of_kind(manifests, "Deployment") + of_kind(manifests, "Job")]
    outside = [Caller(f"{ns} namespace", namespace=ns) for ns in
               ("ingress-nginx", "keda", "cnpg-system", "rabbitmq-system", "default")]
    return own + outside


def network_problems(manifests: list[Manifest]) -> list[str]:
    problems = [f"{p}: ipBlock peers are not expected" for p in of_kind(manifests, "NetworkPolicy")
                for rule in p.doc["spec"].get("ingress", []) for peer in rule.get("from", []) if "ipBlock" in peer]
    deployments = {m.name: pod_labels(m) for m in of_kind(manifests, "Deployment")}
    expected = {  # (target, port) → who may call it
        **{(name, port): {caller for caller, callee in CALLS if callee == name} | ({"ingress-nginx namespace"}
           if name in PUBLIC else set()) for name, port in SERVICES.items()},
        ("postgres", 5432): {"portal", "intake", "review", "notifier", "reporting", "lamadi-migrate",
                             "cnpg-system namespace"},
        ("rabbitmq", 5672): {"intake", "review", "notifier", "reporting", "keda namespace"},
        ("rabbitmq", 15672): {"reporting", "rabbitmq-system namespace"},
    }
    targets = {**deployments, "postgres": POSTGRES_POD, "rabbitmq": RABBITMQ_POD}
    for (target, port), allowed in expected.items():
        if target not in targets:
            continue
        admitted = {c.name for c in callers(manifests) if admits(manifests, c, targets[target], port)}
        problems += [f"{caller} can reach {target}:{port} and should not" for caller in sorted(admitted - allowed)]
        problems += [f"{caller} cannot reach {target}:{port} and should" for caller in sorted(allowed - admitted)]
    return problems


# Intake's public APIs: its own, and Open311 GeoReport v2 (never /metrics, /docs…).
INTAKE_PUBLIC_PREFIXES = ("/api/v1/", "/open311/v2")


def ingress_problems(manifests: list[Manifest]) -> list[str]:
    services = {m.name: m.doc["spec"] for m in of_kind(manifests, "Service")}
    problems, routed = [], set()
    for m in of_kind(manifests, "Ingress"):
        for rule in m.doc["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                routed.add(backend["name"])
                ports = services.get(backend["name"], {}).get("ports", [])
                if not any(p.get("name") == backend["port"].get("name") or p["port"] == backend["port"].get("number")
                           for p in ports):
                    problems.append(f"{m}: {path['path']} goes to {backend['name']}:{backend['port']}, which is no Service port")
                if backend["name"] == "intake" and not path["path"].startswith(INTAKE_PUBLIC_PREFIXES):
                    problems.append(f"{m}: {path['path']} exposes more of intake than its public API")
    problems += [f"the Ingress exposes {name}, which is not a public entry point" for name in sorted(routed - PUBLIC)]
    problems += [f"the Ingress does not expose {name}" for name in sorted(PUBLIC - routed)]
    return problems
