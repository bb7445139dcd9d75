"""Real servers for issue 13's tests, each started by the test on a free localhost port:
Dovecot (Debian's `dovecot-imapd`) for the programme mailbox, Radicale for a coach's
CalDAV calendar, and a small HTTP server publishing a private ICS URL with ETags.

Dovecot rather than a Python IMAP server: it is the server most programme mailboxes
actually are (or behave like), it is packaged by Debian, and it runs unprivileged
in a temporary folder with a config of its own. `.ci/run` installs it; without CI a
missing binary skips the mailbox tests with the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path

import pytest

DOVECOT = "/usr/sbin/dovecot"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, process: subprocess.Popen[bytes] | None, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Mailbox:
    port: int
    user: str = "programme"
    password: str = "mailbox-secret"

    @property
    def url(self) -> str:
        return f"imap://{self.user}:{self.password}@127.0.0.1:{self.port}/INBOX"


@contextlib.contextmanager
def dovecot() -> Iterator[Mailbox]:
    """A Dovecot IMAP server with one mailbox, in a fresh folder."""
    if not Path(DOVECOT).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Dovecot is missing at {DOVECOT}: .ci/run installs dovecot-imapd")
        pytest.skip(f"no Dovecot at {DOVECOT}: mailbox tests skipped (CI runs them)")
    root = Path(tempfile.mkdtemp(prefix="dovecot-"))
    root.chmod(0o755)  # the mail processes run as another user
    box = Mailbox(free_port())
    as_root = os.geteuid() == 0
    owner = pwd.getpwnam("dovecot") if as_root else pwd.getpwuid(os.geteuid())
    mail = root / "mail"
    mail.mkdir()
    (root / "state").mkdir()
    os.chown(mail, owner.pw_uid, owner.pw_gid)
    (root / "passwd").write_text(f"{box.user}:{{PLAIN}}{box.password}\n")
    users = (
        ""
        if as_root
        else (f"default_internal_user = {owner.pw_name}\ndefault_login_user = {owner.pw_name}\n")
    )
    (root / "dovecot.conf").write_text(
        f"""base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{mail}/%u
first_valid_uid = 1
{users}passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={mail}/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {box.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""
    )
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")])
    try:
        _wait_port(box.port, process, "dovecot")
        yield box
    finally:
        _stop(process)
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Caldav:
    port: int
    user: str = "camille"
    password: str = "caldav-secret"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def calendar_url(self) -> str:
        return f"{self.base}/{self.user}/work/"


@contextlib.contextmanager
def radicale() -> Iterator[Caldav]:
    """A Radicale CalDAV server (htpasswd sign-in) with the user's calendar made."""
    import caldav

    root = Path(tempfile.mkdtemp(prefix="radicale-"))
    server = Caldav(free_port())
    (root / "users").write_text(f"{server.user}:{server.password}\n")
    (root / "config").write_text(
        f"""[server]
hosts = 127.0.0.1:{server.port}
[auth]
type = htpasswd
htpasswd_filename = {root}/users
htpasswd_encryption = plain
[storage]
filesystem_folder = {root}/collections
[logging]
level = warning
"""
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(root / "config")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_port(server.port, process, "radicale")
        with caldav.DAVClient(
            url=server.base, username=server.user, password=server.password
        ) as client:
            client.principal().make_calendar(name="work", cal_id="work")
        yield server
    finally:
        _stop(process)
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Published:
    """A calendar published at a secret URL, as Outlook and Google publish one."""

    body: bytes = b""
    requests: list[dict[str, str]] = field(default_factory=list)
    last_modified: str = formatdate(0, usegmt=True)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/owa/calendar/secret-7f3a/calendar.ics"

    def set(self, body: bytes, when: float) -> None:
        self.body, self.last_modified = body, formatdate(when, usegmt=True)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@contextlib.contextmanager
def published_calendar() -> Iterator[Published]:
    state = Published()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(dict(self.headers))
            if self.path != "/owa/calendar/secret-7f3a/calendar.ics":
                self.send_error(404)
                return
            if self.headers.get("If-None-Match") == state.etag:
                self.send_response(304)
                self.send_header("ETag", state.etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("ETag", state.etag)
            self.send_header("Last-Modified", state.last_modified)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
