"""Local process runner for `make run`: the mail catcher, the portal and the four services, each
its own process, as deployed. Prints the URLs once every service is ready, the portal's first
(it is where people start, and where staff sign in); Ctrl-C stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from lamadi_cli.seal import development_seal_env

ROOT = Path(__file__).resolve().parents[1]
SERVICES = {"portal": 8000, "intake": 8001, "review": 8002, "notifier": 8003, "reporting": 8004}
# Plain HTTP on this machine: the portal's cookies cannot be marked Secure here.
PORTAL_ENV = {"LAMADI_INTAKE_URL": f"http://127.0.0.1:{SERVICES['intake']}", "LAMADI_SECURE_COOKIES": "false",
              "LAMADI_STAGING_DIR": str(ROOT / "var" / "portal-staging"),
              **{f"LAMADI_{name.upper()}_URL": f"http://127.0.0.1:{SERVICES[name]}"
                 for name in ("review", "notifier", "reporting")}}
SMTP_PORT = int(os.environ.get("LAMADI_SMTP_PORT", "1025"))
MAILDIR = ROOT / "var" / "mail"
# The notifier emails the daily report to the Directorate: here, to an address of a reserved
# domain (RFC 2606), which the mail catcher keeps like every other message.
DIRECTORATE_EMAIL = "direction.urbanisme@lamadi.example"
NOTIFIER_ENV = {"LAMADI_DIRECTORATE_EMAILS": os.environ.get("LAMADI_DIRECTORATE_EMAILS", DIRECTORATE_EMAIL)}
OWN_ENV = {"portal": PORTAL_ENV, "notifier": NOTIFIER_ENV}
# The development seal (`lamadi seal init`), made here on first start so that a newcomer's
# documents are sealed too; the user's own LAMADI_SEAL_PKCS12, when set, is left alone.
SEAL_DIR = ROOT / "var" / "seal"


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    # Own process group: Ctrl-C reaches the runner only, which then stops each child in order.
    return subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)


def service_environment(name: str, seal_env: dict[str, str] | None = None) -> dict[str, str]:
    """The LAMADI_* settings the runner gives a service, beside those of the environment."""
    return {"LAMADI_PORT": str(SERVICES[name]), "LAMADI_SMTP_PORT": str(SMTP_PORT),
            "LAMADI_DOCUMENTS_DIR": str(ROOT / "var" / "documents"), **(seal_env or {}), **OWN_ENV.get(name, {})}


def seal_environment() -> dict[str, str]:
    """LAMADI_SEAL_PKCS12 and LAMADI_SEAL_PASSPHRASE_FILE of the development seal in var/seal/,
    made there first if need be; nothing when the user set LAMADI_SEAL_PKCS12 (theirs is used)."""
    if os.environ.get("LAMADI_SEAL_PKCS12"):
        return {}
    env, made = development_seal_env(SEAL_DIR)
    if made:
        print(f"made a development seal in {SEAL_DIR}/: the PDFs are sealed with it "
              "(`.venv/bin/lamadi seal init --help`)", flush=True)
    return env


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    # Set explicitly: a shell that starts us in the background may have told us to ignore SIGINT.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    seal_env = seal_environment()
    children = {"mailcatcher": start([sys.executable, "-m", "lamadi_cli.mailcatcher", "--port", str(SMTP_PORT),
                                      "--maildir", str(MAILDIR)], {})}
    for name in SERVICES:
        children[name] = start([sys.executable, "-m", f"services.{name}"], service_environment(name, seal_env))
    try:
        deadline = time.monotonic() + 60
        waiting = dict(SERVICES)
        while waiting and time.monotonic() < deadline:
            for name, port in list(waiting.items()):
                if children[name].poll() is not None:
                    print(f"{name} exited with code {children[name].returncode}; see its log above", file=sys.stderr)
                    return 1
                if ready(port):
                    del waiting[name]
            time.sleep(0.5)
        if waiting:
            print(f"not ready after 60 s: {', '.join(waiting)} (see /readyz)", file=sys.stderr)
        print("\nLamadi is running (Ctrl-C stops everything):")
        print(f"  portal     http://127.0.0.1:{SERVICES['portal']}/   ← file and follow requests here (Arabic, French)")
        print(f"  staff      http://127.0.0.1:{SERVICES['portal']}/staff   ← sign in (add yourself first: "
              ".venv/bin/lamadi staff add --email YOU@agence.ma --name 'YOUR NAME' --role admin)")
        for name, port in SERVICES.items():
            if name != "portal":
                print(f"  {name:<10} http://127.0.0.1:{port}/docs")
        print(f"  mail       smtp://127.0.0.1:{SMTP_PORT}, messages in {MAILDIR}/new (`.venv/bin/lamadi mail list`); "
              f"the daily report goes to {NOTIFIER_ENV['LAMADI_DIRECTORATE_EMAILS']}")
        print("  staff token: .venv/bin/lamadi token --role reviewer --sub YOUR_NAME\n", flush=True)
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
        print("a process exited; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
        return 0
    finally:
        stop_all(children)


def stop_all(children: dict[str, subprocess.Popen]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for name, child in children.items():
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in 20 s: killing it", file=sys.stderr)
            child.kill()


if __name__ == "__main__":
    sys.exit(main())
