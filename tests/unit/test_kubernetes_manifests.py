"""deploy/kubernetes: every manifest against its schema (core kinds: the Kubernetes API schema
through kubernetes-validate; KEDA's ScaledObject: its CRD schema vendored in
deploy/kubernetes/schemas; CloudNativePG and RabbitMQ clusters: their needed fields one by one),
then what the manifests say of each other. Each check is also shown failing on a broken copy."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shared.messaging.topology import TOPOLOGY
from tests.unit.kubernetes_checks import (
    broken,
    core_schema_problems,
    custom_schema_problems,
    kustomization_problems,
    load,
    named,
)
from tests.unit.kubernetes_references import (
    SERVICES,
    deployment_problems,
    known_settings,
    scaling_problems,
    settings_problems,
    volume_problems,
    workload_problems,
)
from tests.unit.kubernetes_routing import ingress_problems, network_problems

MANIFESTS = load()
QUEUES = {spec.name for spec in TOPOLOGY}
KNOWN = known_settings()

CHECKS: dict[str, Callable[[list], list[str]]] = {
    "core schema": core_schema_problems,
    "custom resource schema": custom_schema_problems,
    "workloads": workload_problems,
    "deployments": deployment_problems,
    "settings": lambda manifests: settings_problems(manifests, KNOWN),
    "volumes": volume_problems,
    "scaling": lambda manifests: scaling_problems(manifests, QUEUES),
    "network": network_problems,
    "ingress": ingress_problems,
}


def test_every_kind_is_here():
    kinds = {m.kind for m in MANIFESTS}
    assert {"Deployment", "Service", "PodDisruptionBudget", "Job", "ConfigMap", "Secret", "PersistentVolumeClaim",
            "Ingress", "NetworkPolicy", "ScaledObject", "Cluster", "RabbitmqCluster"} <= kinds
    assert {m.name for m in MANIFESTS if m.kind == "Deployment"} == set(SERVICES)


def test_every_manifest_is_in_its_kustomization():
    assert kustomization_problems() == []


@pytest.mark.parametrize("check", CHECKS)
def test_the_manifests_pass(check):
    assert CHECKS[check](MANIFESTS) == []


def container(manifests, name):
    return named(manifests, "Deployment", name).doc["spec"]["template"]["spec"]["containers"][0]


def env_var(manifests, deployment, variable):
    return next(v for v in container(manifests, deployment)["env"] if v["name"] == variable)


def spec(manifests, kind, name):
    return named(manifests, kind, name).doc["spec"]


def drop_liveness(m):
    del container(m, "notifier")["livenessProbe"]


def readiness_on_healthz(m):
    container(m, "review")["readinessProbe"]["httpGet"]["path"] = "/healthz"


def no_memory_limit(m):
    del container(m, "intake")["resources"]["limits"]["memory"]


def writable_root(m):
    container(m, "portal")["securityContext"]["readOnlyRootFilesystem"] = False


def budget_selects_nothing(m):
    spec(m, "PodDisruptionBudget", "reporting")["selector"]["matchLabels"]["app.kubernetes.io/name"] = "reports"


def missing_secret_key(m):
    env_var(m, "intake", "LAMADI_DATABASE_URL")["valueFrom"]["secretKeyRef"]["key"] = "LAMADI_DB_URL"


def misspelt_setting(m):
    named(m, "ConfigMap", "lamadi-config").doc["data"]["LAMADI_DOCUMENT_DIR"] = "/var/lib/lamadi/documents"


def secret_in_config_map(m):
    named(m, "ConfigMap", "lamadi-config").doc["data"]["LAMADI_JWT_SECRET"] = "in clear"


def replicas_as_text(m):
    spec(m, "Deployment", "intake")["replicas"] = "two"


def unknown_probe_field(m):
    container(m, "intake")["livenessProbe"]["httpGet"]["pathh"] = "/healthz"


def scaled_object_unknown_field(m):
    spec(m, "ScaledObject", "notifier")["maxReplicas"] = 10


def scaled_object_without_triggers(m):
    del spec(m, "ScaledObject", "review")["triggers"]


def postgres_single_instance(m):
    spec(m, "Cluster", "lamadi-postgres")["instances"] = 1


def rabbitmq_two_nodes(m):
    spec(m, "RabbitmqCluster", "lamadi-rabbitmq")["replicas"] = 2


def scaled_on_unknown_queue(m):
    spec(m, "ScaledObject", "review")["triggers"][0]["metadata"]["queueName"] = "lamadi.review.tasks"


def review_writes_documents(m):
    next(v for v in container(m, "review")["volumeMounts"] if v["name"] == "documents")["readOnly"] = False


def intake_writes_issued_documents(m):
    next(v for v in container(m, "intake")["volumeMounts"] if v["name"] == "issued-documents")["readOnly"] = False


def notifier_without_issued_documents(m):
    mounts = container(m, "notifier")["volumeMounts"]
    mounts.remove(next(v for v in mounts if v["name"] == "issued-documents"))


def reporting_without_seal(m):
    mounts = container(m, "reporting")["volumeMounts"]
    mounts.remove(next(v for v in mounts if v["name"] == "seal"))


def seal_key_misnamed(m):
    named(m, "ConfigMap", "lamadi-config").doc["data"]["LAMADI_SEAL_PKCS12"] = "/etc/lamadi/seal/agency.p12"


def seal_secret_missing(m):
    m.remove(named(m, "Secret", "lamadi-seal"))


def passphrase_in_config_map(m):
    named(m, "ConfigMap", "lamadi-config").doc["data"]["LAMADI_SEAL_PASSPHRASE"] = "in clear"


def review_calls_intake(m):
    policy = spec(m, "NetworkPolicy", "intake-from-ingress-controller-and-portal")
    policy["ingress"][0]["from"].append({"podSelector": {"matchLabels": {"app.kubernetes.io/name": "review"}}})


def no_default_deny(m):
    m.remove(named(m, "NetworkPolicy", "default-deny-ingress"))
    m.remove(named(m, "NetworkPolicy", "staff-apis-from-portal"))


def ingress_exposes_review(m):
    rule = spec(m, "Ingress", "lamadi")["rules"][0]["http"]["paths"]
    rule.insert(0, {"path": "/api/v1/tasks", "pathType": "Prefix",
                    "backend": {"service": {"name": "review", "port": {"name": "http"}}}})


BREAKAGES = [
    (drop_liveness, "deployments", "livenessProbe must GET /healthz"),
    (readiness_on_healthz, "deployments", "readinessProbe must GET /readyz"),
    (no_memory_limit, "workloads", "has no limits for memory"),
    (writable_root, "workloads", "needs a read-only root"),
    (budget_selects_nothing, "deployments", "no PodDisruptionBudget selects its pods"),
    (missing_secret_key, "settings", "names lamadi-secrets/LAMADI_DB_URL, which does not exist"),
    (misspelt_setting, "settings", "LAMADI_DOCUMENT_DIR is not a setting of any service"),
    (secret_in_config_map, "settings", "ConfigMap lamadi-config holds the secret LAMADI_JWT_SECRET"),
    (replicas_as_text, "core schema", "spec.replicas: 'two' is not of type 'integer'"),
    (unknown_probe_field, "core schema", "'pathh' was unexpected"),
    (scaled_object_unknown_field, "custom resource schema", "'maxReplicas' was unexpected"),
    (scaled_object_without_triggers, "custom resource schema", "'triggers' is a required property"),
    (postgres_single_instance, "custom resource schema", "spec.instances must be an integer, 3 or more"),
    (rabbitmq_two_nodes, "custom resource schema", "spec.replicas must be 3"),
    (scaled_on_unknown_queue, "scaling", "not lamadi.review.tasks"),
    (review_writes_documents, "volumes", "must mount lamadi-documents at LAMADI_DOCUMENTS_DIR read-only"),
    (intake_writes_issued_documents, "volumes",
     "must mount lamadi-issued-documents at LAMADI_ISSUED_DOCUMENTS_DIR read-only"),
    (notifier_without_issued_documents, "volumes",
     "must mount lamadi-issued-documents at LAMADI_ISSUED_DOCUMENTS_DIR, writable"),
    (reporting_without_seal, "volumes", "Deployment/reporting: LAMADI_SEAL_PKCS12 (/etc/lamadi/seal/seal.p12) "
                                        "must name a file of a Secret mounted in the pod"),
    (seal_key_misnamed, "volumes", "LAMADI_SEAL_PKCS12 (/etc/lamadi/seal/agency.p12) must name a file"),
    (seal_secret_missing, "volumes", "volume seal mounts Secret lamadi-seal, which does not exist"),
    (passphrase_in_config_map, "settings", "ConfigMap lamadi-config holds the secret LAMADI_SEAL_PASSPHRASE"),
    (review_calls_intake, "network", "review can reach intake:8001 and should not"),
    (no_default_deny, "network", "default namespace can reach review:8002 and should not"),
    (ingress_exposes_review, "ingress", "the Ingress exposes review, which is not a public entry point"),
]


@pytest.mark.parametrize("breakage, check, expected", BREAKAGES, ids=[b[0].__name__ for b in BREAKAGES])
def test_a_broken_manifest_fails(breakage, check, expected):
    manifests = broken(MANIFESTS)
    breakage(manifests)
    problems = CHECKS[check](manifests)
    assert any(expected in problem for problem in problems), problems
    assert CHECKS[check](MANIFESTS) == []  # the originals were not touched
