"""Checks of deploy/kubernetes: each takes the loaded manifests and returns the problems found,
as sentences (an empty list: all is well), so a test can show both the real manifests passing
and a broken copy failing for the expected reason."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml

KUBERNETES = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.33"
CORE_KINDS = {"Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "NetworkPolicy", "Job", "Deployment",
              "Service", "PodDisruptionBudget", "Ingress"}
# Custom resources: kind → (apiVersion, vendored schema file or None when checked field by field)
CUSTOM_KINDS = {
    "ScaledObject": ("keda.sh/v1alpha1", "keda.sh_scaledobjects_v1alpha1.json"),
    "Cluster": ("postgresql.cnpg.io/v1", None),
    "RabbitmqCluster": ("rabbitmq.com/v1beta1", None),
}


@dataclass
class Manifest:
    path: Path
    doc: dict

    @property
    def kind(self) -> str:
        return self.doc.get("kind", "")

    @property
    def name(self) -> str:
        return self.doc.get("metadata", {}).get("name", "")

    def __str__(self) -> str:
        return f"{self.path.relative_to(KUBERNETES)}: {self.kind}/{self.name}"


def load(root: Path = KUBERNETES) -> list[Manifest]:
    return [Manifest(path, doc) for path in sorted(root.rglob("*.yaml")) if path.name != "kustomization.yaml"
            for doc in yaml.safe_load_all(path.read_text()) if doc]


def broken(manifests: list[Manifest]) -> list[Manifest]:
    """A deep copy, to break in a test without touching the loaded originals."""
    return [Manifest(m.path, copy.deepcopy(m.doc)) for m in manifests]


def of_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m.kind == kind]


def named(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    return next(m for m in of_kind(manifests, kind) if m.name == name)


# --- layout and schemas ----------------------------------------------------------------------

def kustomization_problems(root: Path = KUBERNETES) -> list[str]:
    """Every manifest is listed by its directory's kustomization, and every listed file exists."""
    problems = []
    for directory in sorted({path.parent for path in root.rglob("*.yaml")}):
        kustomization = directory / "kustomization.yaml"
        if not kustomization.exists():
            continue
        listed = set(yaml.safe_load(kustomization.read_text()).get("resources", []))
        present = {p.name for p in directory.glob("*.yaml") if p.name != "kustomization.yaml"}
        problems += [f"{directory.name}/kustomization.yaml lists {name}, which is not there" for name in listed - present]
        problems += [f"{directory.name}/{name} is not in its kustomization.yaml" for name in present - listed]
    return problems


def core_schema_problems(manifests: list[Manifest]) -> list[str]:
    """Core kinds against the Kubernetes API schema, strict: an unknown field is an error."""
    problems = []
    for m in manifests:
        if m.kind in CUSTOM_KINDS:
            continue
        if m.kind not in CORE_KINDS:
            problems.append(f"{m}: unexpected kind")
            continue
        try:
            kubernetes_validate.validate(m.doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            problems.append(f"{m}: {'.'.join(map(str, error.path))}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError as error:
            problems.append(f"{m}: {error.message}")
    return problems


def closed(schema: dict) -> dict:
    """The schema with unknown fields refused wherever fields are listed, as the API server's
    strict field validation (kubectl's default) refuses them."""
    schema = dict(schema)
    if "properties" in schema:
        schema["properties"] = {key: closed(value) for key, value in schema["properties"].items()}
        schema.setdefault("additionalProperties", False)
    if isinstance(schema.get("items"), dict):
        schema["items"] = closed(schema["items"])
    return schema


def custom_schema_problems(manifests: list[Manifest]) -> list[str]:
    problems = []
    for m in manifests:
        if m.kind not in CUSTOM_KINDS:
            continue
        api_version, schema_file = CUSTOM_KINDS[m.kind]
        if m.doc.get("apiVersion") != api_version:
            problems.append(f"{m}: apiVersion {m.doc.get('apiVersion')}, expected {api_version}")
        if schema_file:
            schema = closed(json.loads((KUBERNETES / "schemas" / schema_file).read_text()))
            for error in jsonschema.Draft7Validator(schema).iter_errors(m.doc):
                problems.append(f"{m}: {'.'.join(map(str, error.path))}: {error.message}")
    problems += [f"{m}: {p}" for m in of_kind(manifests, "Cluster") for p in postgres_cluster_problems(m.doc)]
    problems += [f"{m}: {p}" for m in of_kind(manifests, "RabbitmqCluster") for p in rabbitmq_cluster_problems(m.doc)]
    return problems


def postgres_cluster_problems(doc: dict) -> list[str]:
    """CloudNativePG Cluster: the fields its CRD requires or types, and what Lamadi needs."""
    spec = doc.get("spec", {})
    problems = []
    if not isinstance(spec.get("instances"), int) or spec["instances"] < 3:
        problems.append("spec.instances must be an integer, 3 or more (a primary and two standbys)")
    if not isinstance(spec.get("storage", {}).get("size"), str):
        problems.append("spec.storage.size (a quantity string) is required")
    initdb = spec.get("bootstrap", {}).get("initdb", {})
    if initdb.get("database") != "lamadi" or not initdb.get("owner"):
        problems.append("spec.bootstrap.initdb must create database lamadi with an owner")
    unknown = set(spec) - {"instances", "imageName", "primaryUpdateStrategy", "bootstrap", "postgresql", "storage",
                           "resources", "affinity", "monitoring", "backup", "description"}
    problems += [f"spec.{key}: not a field this check knows; add it here after checking the CRD" for key in unknown]
    return problems


def rabbitmq_cluster_problems(doc: dict) -> list[str]:
    spec = doc.get("spec", {})
    problems = []
    if spec.get("replicas") != 3:
        problems.append("spec.replicas must be 3 (an odd number, for quorum)")
    if not isinstance(spec.get("persistence", {}).get("storage"), str):
        problems.append("spec.persistence.storage (a quantity string) is required")
    if not isinstance(spec.get("rabbitmq", {}).get("additionalConfig", ""), str):
        problems.append("spec.rabbitmq.additionalConfig must be a string (rabbitmq.conf lines)")
    unknown = set(spec) - {"replicas", "image", "persistence", "resources", "rabbitmq", "affinity", "tolerations",
                           "service", "tls", "override", "terminationGracePeriodSeconds"}
    problems += [f"spec.{key}: not a field this check knows; add it here after checking the CRD" for key in unknown]
    return problems
