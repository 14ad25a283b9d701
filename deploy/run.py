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

ROOT = Path(__file__).resolve().parents[1]
SERVICES = {"portal": 8000, "intake": 8001, "review": 8002, "notifier": 8003, "reporting": 8004}
# Plain HTTP on this machine: the portal's cookies cannot be marked Secure here.
PORTAL_ENV = {"LAMADI_INTAKE_URL": f"http://127.0.0.1:{SERVICES['intake']}", "LAMADI_SECURE_COOKIES": "false",
              "LAMADI_STAGING_DIR": str(ROOT / "var" / "portal-staging"),
              **{f"LAMADI_{name.upper()}_URL": f"http://127.0.0.1:{SERVICES[name]}"
                 for name in ("review", "notifier", "reporting")}}
SMTP_PORT = int(os.environ.get("LAMADI_SMTP_PORT", "1025"))
MAILDIR = ROOT / "var" / "mail"


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    # Own process group: Ctrl-C reaches the runner only, which then stops each child in order.
    return subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)


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
    children = {"mailcatcher": start([sys.executable, "-m", "lamadi_cli.mailcatcher", "--port", str(SMTP_PORT),
                                      "--maildir", str(MAILDIR)], {})}
    for name, port in SERVICES.items():
        children[name] = start([sys.executable, "-m", f"services.{name}"],
                               {"LAMADI_PORT": str(port), "LAMADI_SMTP_PORT": str(SMTP_PORT),
                                "LAMADI_DOCUMENTS_DIR": str(ROOT / "var" / "documents"),
                                **(PORTAL_ENV if name == "portal" else {})})
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
        print(f"  mail       smtp://127.0.0.1:{SMTP_PORT}, messages in {MAILDIR}/new (`.venv/bin/lamadi mail list`)")
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
