"""A real coturn (Debian's package) on free loopback ports, with a shared secret, for tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TURNSERVER = shutil.which("turnserver") or "/usr/bin/turnserver"


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_relay_range(size: int = 40) -> tuple[int, int]:
    """A run of ports for relays, picked from a high band other tests do not use."""
    base = 40000 + (free_udp_port() % 200) * 50
    return base, base + size


@dataclass
class Coturn:
    secret: str = "test-turn-secret"
    realm: str = "toricy.test"
    port: int = field(default_factory=free_udp_port)
    process: subprocess.Popen | None = None
    folder: Path | None = None

    @property
    def url(self) -> str:
        return f"turn:127.0.0.1:{self.port}?transport=udp"

    def start(self) -> Coturn:
        self.folder = Path(tempfile.mkdtemp(prefix="coturn-"))
        low, high = free_relay_range()
        self.process = subprocess.Popen(
            [
                TURNSERVER,
                "-n",  # no configuration file: everything is on this line
                f"--listening-port={self.port}",
                "--listening-ip=127.0.0.1",
                "--relay-ip=127.0.0.1",
                f"--min-port={low}",
                f"--max-port={high}",
                "--use-auth-secret",
                f"--static-auth-secret={self.secret}",
                f"--realm={self.realm}",
                "--no-tls",
                "--no-dtls",
                "--no-cli",
                # Both browsers of a test sit on this machine: their relays are loopback peers.
                "--allow-loopback-peers",
                "--fingerprint",
                f"--userdb={self.folder / 'turndb'}",
                f"--pidfile={self.folder / 'turnserver.pid'}",
                f"--log-file={self.folder / 'turn.log'}",
                "--simple-log",
                "--no-stdout-log",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_listening()
        return self

    def _wait_until_listening(self, timeout: float = 10) -> None:
        from calls import turn

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"turnserver exited:\n{self.log()}")
            try:
                creds = turn.credentials(user_id=0, secret=self.secret, ttl=60)
                turn.allocate(self.url, creds["username"], creds["credential"], timeout=0.5)
                return
            except turn.TurnError:
                time.sleep(0.2)
        raise RuntimeError(f"turnserver did not answer:\n{self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        if not self.folder:
            return ""
        logs = sorted(self.folder.glob("turn*.log"))
        return "\n".join(path.read_text(errors="replace")[-3000:] for path in logs)
