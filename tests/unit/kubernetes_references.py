"""Cross-reference checks of deploy/kubernetes: what one manifest names must exist in another
(probes, budgets, services, settings, volumes, scaling targets), and the network policies must
let in exactly the expected callers. Each returns the problems found, as sentences."""

from __future__ import annotations

import importlib
from pathlib import Path

from pydantic_settings import BaseSettings

from tests.unit.kubernetes_checks import Manifest, named, of_kind

SERVICES = {"portal": 8000, "intake": 8001, "review": 8002, "notifier": 8003, "reporting": 8004}
SECRET_SETTINGS = {"LAMADI_JWT_SECRET", "LAMADI_DATABASE_URL", "LAMADI_AMQP_URL", "LAMADI_SEAL_PASSPHRASE"}
# The shared volumes: claim → (the setting naming where it is mounted, {service: mounted read-only}).
SHARED_VOLUMES = {
    "lamadi-documents": ("LAMADI_DOCUMENTS_DIR", {"intake": False, "review": True}),
    "lamadi-report-files": ("LAMADI_REPORT_FILES_DIR", {"reporting": False, "notifier": True}),
    "lamadi-issued-documents": ("LAMADI_ISSUED_DOCUMENTS_DIR", {"notifier": False, "intake": True}),
}
# The services that seal PDFs, and the settings naming the seal's files (a mounted Secret's keys).
SEALING = ("notifier", "reporting")
SEAL_FILES = ("LAMADI_SEAL_PKCS12", "LAMADI_SEAL_PASSPHRASE_FILE")
ROOT = Path(__file__).resolve().parents[2]
# The portal's settings (another branch, services/portal/settings.py) until it is merged here.
PORTAL_SETTINGS = {"LAMADI_INTAKE_URL", "LAMADI_PORTAL_SECRET", "LAMADI_SECURE_COOKIES", "LAMADI_STAGING_DIR"}


def known_settings() -> set[str]:
    """LAMADI_* names some settings class reads: every field of services/*/settings.py."""
    names = set()
    for module_file in sorted(ROOT.glob("services/*/settings.py")):
        module = importlib.import_module(f"services.{module_file.parent.name}.settings")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseSettings) and value is not BaseSettings:
                names |= {f"LAMADI_{field_name.upper()}" for field_name in value.model_fields}
    if not (ROOT / "services" / "portal" / "settings.py").exists():
        names |= PORTAL_SETTINGS
    return names


def selects(selector: dict, labels: dict) -> bool:
    """A label selector (matchLabels and matchExpressions) against a set of labels."""
    if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        present = key in labels
        if not {"In": present and labels[key] in values, "NotIn": not present or labels[key] not in values,
                "Exists": present, "DoesNotExist": not present}[operator]:
            return False
    return True


def pod_spec(m: Manifest) -> dict:
    return m.doc["spec"]["template"]["spec"]


def pod_labels(m: Manifest) -> dict:
    return m.doc["spec"]["template"]["metadata"].get("labels", {})


def workloads(manifests: list[Manifest]) -> list[Manifest]:
    return of_kind(manifests, "Deployment") + of_kind(manifests, "Job")


def workload_problems(manifests: list[Manifest]) -> list[str]:
    """Every Deployment and Job: requests and limits, non-root, read-only root, no privileges."""
    problems = []
    for m in workloads(manifests):
        pod = pod_spec(m)
        if pod.get("securityContext", {}).get("runAsNonRoot") is not True:
            problems.append(f"{m}: the pod must run as non-root (securityContext.runAsNonRoot)")
        for c in pod["containers"]:
            for part in ("requests", "limits"):
                missing = {"cpu", "memory"} - set(c.get("resources", {}).get(part, {}))
                if missing:
                    problems.append(f"{m}: container {c['name']} has no {part} for {', '.join(sorted(missing))}")
            security = c.get("securityContext", {})
            if security.get("readOnlyRootFilesystem") is not True or security.get("allowPrivilegeEscalation") is not False \
                    or security.get("capabilities", {}).get("drop") != ["ALL"]:
                problems.append(f"{m}: container {c['name']} needs a read-only root, no privilege escalation, "
                                "and every capability dropped")
    return problems


def resolves(port: int | str, container: dict) -> bool:
    return any(port in (p["containerPort"], p.get("name")) for p in container.get("ports", []))


def deployment_problems(manifests: list[Manifest]) -> list[str]:
    """One Deployment per service, running it on its port, probed, with a budget and a Service."""
    deployments = {m.name: m for m in of_kind(manifests, "Deployment")}
    problems = [f"no Deployment for {name}" for name in SERVICES if name not in deployments]
    for name, m in deployments.items():
        labels, container = pod_labels(m), pod_spec(m)["containers"][0]
        port = SERVICES.get(name)
        if container["command"] != ["python", "-m", f"services.{name}"] or port is None:
            problems.append(f"{m}: must run `python -m services.{name}` for one of {', '.join(SERVICES)}")
        if not resolves(port, container) or {"name": "LAMADI_PORT", "value": str(port)} not in container.get("env", []):
            problems.append(f"{m}: must listen on {port}: a container port and LAMADI_PORT")
        for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            get = container.get(probe, {}).get("httpGet", {})
            if get.get("path") != path or not resolves(get.get("port"), container):
                problems.append(f"{m}: {probe} must GET {path} on a port of the container")
        if not selects(m.doc["spec"]["selector"], labels):
            problems.append(f"{m}: its selector does not select its own pod template")
        if not any(selects(b.doc["spec"]["selector"], labels) for b in of_kind(manifests, "PodDisruptionBudget")):
            problems.append(f"{m}: no PodDisruptionBudget selects its pods")
        services = [s for s in of_kind(manifests, "Service") if selects({"matchLabels": s.doc["spec"]["selector"]}, labels)]
        if not services or not all(resolves(p["targetPort"], container) for s in services for p in s.doc["spec"]["ports"]):
            problems.append(f"{m}: needs a Service selecting it, whose targetPort is a port of the container")
    return problems


def settings_problems(manifests: list[Manifest], known: set[str]) -> list[str]:
    """Every referenced ConfigMap, Secret and key exists; every LAMADI_ name is a real setting;
    the secret settings are only in Secrets."""
    maps = {m.name: set(m.doc.get("data", {})) for m in of_kind(manifests, "ConfigMap")}
    secrets = {m.name: set(m.doc.get("stringData", {})) | set(m.doc.get("data", {})) for m in of_kind(manifests, "Secret")}
    problems = [f"ConfigMap {name} holds the secret {key}" for name, keys in maps.items() for key in keys & SECRET_SETTINGS]
    names = {key for keys in [*maps.values(), *secrets.values()] for key in keys}
    for m in workloads(manifests):
        for c in pod_spec(m)["containers"]:
            for source in c.get("envFrom", []):
                for kind, store in (("configMapRef", maps), ("secretRef", secrets)):
                    if kind in source and source[kind]["name"] not in store:
                        problems.append(f"{m}: envFrom names {kind} {source[kind]['name']}, which does not exist")
            for variable in c.get("env", []):
                names.add(variable["name"])
                if variable["name"] in SECRET_SETTINGS and "secretKeyRef" not in variable.get("valueFrom", {}):
                    problems.append(f"{m}: {variable['name']} must come from a Secret")
                for kind, store in (("configMapKeyRef", maps), ("secretKeyRef", secrets)):
                    ref = variable.get("valueFrom", {}).get(kind)
                    if ref and ref["key"] not in store.get(ref["name"], set()):
                        problems.append(f"{m}: {variable['name']} names {ref['name']}/{ref['key']}, which does not exist")
    problems += [f"{name} is not a setting of any service (a typo?)" for name in
                 sorted(n for n in names if n.startswith("LAMADI_") and n not in known)]
    return problems


def volume_problems(manifests: list[Manifest]) -> list[str]:
    """Claims exist; the shared volumes are RWX, mounted at their setting's path, written by one
    service and read by another; mounted Secrets exist; each sealing service finds its seal's
    files in a Secret it mounts; every mount names a volume of its pod."""
    claims = {m.name: m.doc["spec"] for m in of_kind(manifests, "PersistentVolumeClaim")}
    secrets = {m.name: set(m.doc.get("stringData", {})) | set(m.doc.get("data", {})) for m in of_kind(manifests, "Secret")}
    problems = [f"PVC {name} must be ReadWriteMany: several pods mount it" for name, spec in claims.items()
                if spec["accessModes"] != ["ReadWriteMany"]]
    config = {k: v for m in of_kind(manifests, "ConfigMap") for k, v in m.doc.get("data", {}).items()}
    for m in workloads(manifests):
        volumes = {v["name"]: v for v in pod_spec(m).get("volumes", [])}
        for volume in volumes.values():
            claim = volume.get("persistentVolumeClaim", {}).get("claimName")
            if claim and claim not in claims:
                problems.append(f"{m}: volume {volume['name']} claims {claim}, which does not exist")
            secret = volume.get("secret", {}).get("secretName")
            if secret and secret not in secrets:
                problems.append(f"{m}: volume {volume['name']} mounts Secret {secret}, which does not exist")
        for c in pod_spec(m)["containers"]:
            problems += [f"{m}: mount {mount['name']} names no volume of the pod" for mount in c.get("volumeMounts", [])
                         if mount["name"] not in volumes]
    for claim_name, (setting, readers) in SHARED_VOLUMES.items():
        for service, read_only in readers.items():
            m = named(manifests, "Deployment", service)
            mounts = {mount["mountPath"]: mount for mount in pod_spec(m)["containers"][0].get("volumeMounts", [])}
            mount = mounts.get(config.get(setting), {})
            claim = {v["name"]: v for v in pod_spec(m).get("volumes", [])}.get(mount.get("name"), {})
            if claim.get("persistentVolumeClaim", {}).get("claimName") != claim_name or \
                    mount.get("readOnly", False) != read_only:
                problems.append(f"{m}: must mount {claim_name} at {setting}"
                                f"{' read-only' if read_only else ', writable'}")
    for service in SEALING:
        m = named(manifests, "Deployment", service)
        files = secret_files(m, secrets)
        settings = {**config, **{v["name"]: v["value"] for v in pod_spec(m)["containers"][0].get("env", []) if "value" in v}}
        problems += [f"{m}: {setting} ({settings.get(setting)}) must name a file of a Secret mounted in the pod"
                     for setting in SEAL_FILES if settings.get(setting) not in files]
    return problems


def secret_files(m: Manifest, secrets: dict[str, set[str]]) -> set[str]:
    """The paths at which the first container of ``m`` sees a key of a Secret (that exists)."""
    volumes = {v["name"]: v["secret"] for v in pod_spec(m).get("volumes", []) if "secret" in v}
    paths = set()
    for mount in pod_spec(m)["containers"][0].get("volumeMounts", []):
        secret = volumes.get(mount["name"])
        if secret is None or "subPath" in mount:
            continue
        keys = secrets.get(secret["secretName"], set())
        items = secret.get("items") or [{"key": key, "path": key} for key in keys]
        paths |= {f"{mount['mountPath'].rstrip('/')}/{item['path']}" for item in items if item["key"] in keys}
    return paths


def scaling_problems(manifests: list[Manifest], queues: set[str]) -> list[str]:
    """KEDA scales review and notifier on their work queues, reading the broker URL their own
    container has; it owns their replica counts and keeps two, so a drain can evict one."""
    scaled = {m.doc["spec"]["scaleTargetRef"]["name"]: m for m in of_kind(manifests, "ScaledObject")}
    problems = [f"{name} is not scaled by a ScaledObject" for name in ("review", "notifier") if name not in scaled]
    deployments = {m.name: m for m in of_kind(manifests, "Deployment")}
    for target, m in scaled.items():
        if target not in deployments:
            problems.append(f"{m}: scales {target}, which is not a Deployment here")
            continue
        if "replicas" in deployments[target].doc["spec"]:
            problems.append(f"{deployments[target]}: sets replicas, which KEDA owns")
        if m.doc["spec"].get("minReplicaCount", 0) < 2:
            problems.append(f"{m}: minReplicaCount below 2 leaves its PodDisruptionBudget no pod to evict")
        env = {variable["name"] for c in pod_spec(deployments[target])["containers"] for variable in c.get("env", [])}
        for trigger in m.doc["spec"]["triggers"]:
            settings = trigger["metadata"]
            if trigger["type"] != "rabbitmq" or settings.get("queueName") not in queues:
                problems.append(f"{m}: trigger must be rabbitmq on a work queue, not {settings.get('queueName')}")
            if settings.get("hostFromEnv") not in env:
                problems.append(f"{m}: hostFromEnv {settings.get('hostFromEnv')} is not an env variable of {target}")
    return problems
