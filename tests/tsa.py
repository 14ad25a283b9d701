"""A timestamp authority of the tests' own: RFC 3161 over HTTP on 127.0.0.1, in a thread.

POST ``application/timestamp-query`` → ``application/timestamp-reply``, as a real authority
answers (what LAMADI_SEAL_TSA_URL points at). The tokens are real, made by pyHanko's
DummyTimeStamper (built for this: it grants every request and signs the token with the
certificate and key it is given), so a B-T seal made through it validates like one made through
a provider's authority, against the CA that issued the authority's certificate.

    with TimestampAuthority(certificate, key) as tsa:   # tsa.url
        ...

``in_process`` runs one in a process of its own, so that its CPU is not counted with its
caller's (bench/seal.py).
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp, x509
from pyhanko.sign.timestamps import DummyTimeStamper

QUERY, REPLY = "application/timestamp-query", "application/timestamp-reply"
MAX_QUERY_BYTES = 64 * 1024


class TimestampAuthority:
    def __init__(self, certificate: x509.Certificate, key: keys.PrivateKeyInfo,
                 chain: list[x509.Certificate] = ()):
        self.stamper = DummyTimeStamper(tsa_cert=certificate, tsa_key=key, certs_to_embed=list(chain))
        self.granted = 0  # tokens issued: a test can tell its seal went through here
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="test-tsa", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def start(self) -> TimestampAuthority:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> TimestampAuthority:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def answer(self, query: tsp.TimeStampReq) -> bytes:
        reply = self.stamper.request_tsa_response(query)
        self.granted += 1
        return reply.dump()


def _handler(authority: TimestampAuthority) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # One segment per answer, sent at once: without these, the status line and headers go
        # first and the body waits on the client's delayed ACK (40 ms a token).
        wbufsize = -1
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if self.headers.get("Content-Type") != QUERY or not 0 < length <= MAX_QUERY_BYTES:
                self._send(400, "text/plain", b"expected an application/timestamp-query body\n")
                return
            try:
                query = tsp.TimeStampReq.load(self.rfile.read(length))
                query.native  # parsed through: a body that is not a TimeStampReq fails here
            except (ValueError, TypeError, KeyError):
                self._send(400, "text/plain", b"not a DER TimeStampReq\n")
                return
            self._send(200, REPLY, authority.answer(query))  # a failure here: 500, and its traceback

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

        def log_message(self, format, *args) -> None:  # quiet: pytest shows what matters
            pass

    return Handler


def _serve(certificate: bytes, key: bytes, chain: list[bytes], urls) -> None:
    authority = TimestampAuthority(x509.Certificate.load(certificate), keys.PrivateKeyInfo.load(key),
                                   [x509.Certificate.load(der) for der in chain]).start()
    urls.put(authority.url)
    while True:
        time.sleep(3600)


def in_process(certificate: x509.Certificate, key: keys.PrivateKeyInfo,
               chain: list[x509.Certificate] = ()) -> tuple[multiprocessing.Process, str]:
    """An authority in a spawned process of its own, and its URL; kill the process to stop it.
    (Given as DER: asn1crypto values do not survive pickling once parsed.)"""
    spawn = multiprocessing.get_context("spawn")
    urls = spawn.Queue()
    process = spawn.Process(target=_serve, args=(certificate.dump(), key.dump(), [c.dump() for c in chain], urls),
                            daemon=True, name="test-tsa")
    process.start()
    return process, urls.get(timeout=60)
