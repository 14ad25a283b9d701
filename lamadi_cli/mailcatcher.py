"""Local mail catcher: an SMTP server on 127.0.0.1 that keeps every message in a Maildir.

    python -m lamadi_cli.mailcatcher --port 1025 --maildir var/mail
    lamadi mail list            # what arrived
"""

from __future__ import annotations

import argparse
import email
import mailbox
import signal
import threading
from email.message import Message
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox


class MailCatcher:
    """Starts aiosmtpd in a thread; the messages are files in ``maildir``/new."""

    def __init__(self, maildir: Path, host: str = "127.0.0.1", port: int = 1025):
        self.maildir = Path(maildir)
        # Maildir(create=True) only makes tmp/new/cur when the directory itself is new.
        for sub in ("tmp", "new", "cur"):
            (self.maildir / sub).mkdir(parents=True, exist_ok=True)
        self.controller = Controller(Mailbox(str(self.maildir)), hostname=host, port=port)

    @property
    def port(self) -> int:
        return self.controller.port

    def start(self) -> "MailCatcher":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def messages(self) -> list[Message]:
        return read_maildir(self.maildir)


def read_maildir(maildir: Path) -> list[Message]:
    box = mailbox.Maildir(str(maildir), factory=None, create=False)
    return [email.message_from_bytes(box.get_bytes(key), policy=default_policy) for key in box.keys()]


def wait_for_stop_signal() -> None:
    """Block until SIGTERM or SIGINT (a server run as a child process is stopped with either)."""
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--maildir", type=Path, default=Path("var/mail"))
    args = parser.parse_args()
    catcher = MailCatcher(args.maildir, args.host, args.port).start()
    print(f"mail catcher: smtp://{args.host}:{catcher.port}, messages in {args.maildir}/new", flush=True)
    wait_for_stop_signal()
    catcher.stop()


if __name__ == "__main__":
    main()
