"""TURN: per-call credentials in coturn's shared-secret scheme, and a relay allocation probe.

coturn's `use-auth-secret` (the "TURN REST API" draft): the username is `<unix expiry>:<user id>`
and the password is base64(HMAC-SHA1(secret, username)). coturn recomputes the password from the
same secret and refuses a username whose expiry has passed, so a leaked credential dies by itself
and the page never holds a lasting password.

`allocate` speaks just enough STUN/TURN (RFC 8489/8656) over UDP to ask a server for a relay with
such a credential: `manage.py doctor` uses it to prove the configured server works, and the tests
use it to prove coturn refuses expired credentials.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import socket
import struct
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

MAGIC = 0x2112A442
ALLOCATE = 0x0003
REFRESH = 0x0004
SUCCESS = 0x0100
ERROR = 0x0110
USERNAME = 0x0006
MESSAGE_INTEGRITY = 0x0008
ERROR_CODE = 0x0009
LIFETIME = 0x000D
REALM = 0x0014
NONCE = 0x0015
XOR_RELAYED_ADDRESS = 0x0016
REQUESTED_TRANSPORT = 0x0019
UDP = 17


def credentials(*, user_id: int, ttl: int | None = None, secret: str | None = None) -> dict:
    """A time-limited TURN username and password for one member."""
    secret = settings.TURN_SECRET if secret is None else secret
    ttl = settings.TURN_CREDENTIAL_SECONDS if ttl is None else ttl
    username = f"{int(time.time()) + ttl}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return {"username": username, "credential": base64.b64encode(digest).decode()}


def ice_servers(*, user_id: int) -> list[dict]:
    """What RTCPeerConnection needs: the STUN servers, and TURN with a fresh credential."""
    servers: list[dict] = []
    if settings.STUN_URLS:
        servers.append({"urls": list(settings.STUN_URLS)})
    if settings.TURN_URLS and settings.TURN_SECRET:
        servers.append({"urls": list(settings.TURN_URLS), **credentials(user_id=user_id)})
    return servers


def ice_config(*, user_id: int) -> dict:
    return {
        "iceServers": ice_servers(user_id=user_id),
        "iceTransportPolicy": "relay" if settings.ICE_TRANSPORT_POLICY == "relay" else "all",
    }


# --- A minimal TURN client (UDP) -----------------------------------------------------------------
class TurnError(Exception):
    def __init__(self, text: str, code: int | None = None) -> None:
        super().__init__(text)
        self.code = code


@dataclass
class Allocation:
    relay_host: str
    relay_port: int
    lifetime: int


def parse_turn_url(url: str) -> tuple[str, int, str]:
    """`turn:host:port?transport=udp` -> (host, port, transport)."""
    scheme, _, rest = url.partition(":")
    if scheme not in ("turn", "turns"):
        raise TurnError(f"{url!r} is not a turn: URL")
    address, _, query = rest.partition("?")
    parts = urlsplit(f"//{address}")
    transport = "udp"
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key == "transport" and value:
            transport = value.lower()
    default_port = 5349 if scheme == "turns" else 3478
    return parts.hostname or "", parts.port or default_port, transport


def _attribute(kind: int, value: bytes) -> bytes:
    padding = (4 - len(value) % 4) % 4
    return struct.pack("!HH", kind, len(value)) + value + b"\0" * padding


def _message(kind: int, tid: bytes, attributes: list[bytes], key: bytes | None = None) -> bytes:
    body = b"".join(attributes)
    if key is None:
        return struct.pack("!HHI", kind, len(body), MAGIC) + tid + body
    # MESSAGE-INTEGRITY covers the header with the length it will have once it is appended.
    header = struct.pack("!HHI", kind, len(body) + 24, MAGIC) + tid
    digest = hmac.new(key, header + body, hashlib.sha1).digest()
    return header + body + _attribute(MESSAGE_INTEGRITY, digest)


def _parse(data: bytes) -> tuple[int, bytes, dict[int, bytes]]:
    if len(data) < 20:
        raise TurnError("short STUN answer")
    kind, length, magic = struct.unpack("!HHI", data[:8])
    if magic != MAGIC:
        raise TurnError("not a STUN answer")
    attributes: dict[int, bytes] = {}
    offset = 20
    while offset + 4 <= 20 + length:
        attr, size = struct.unpack("!HH", data[offset : offset + 4])
        attributes.setdefault(attr, data[offset + 4 : offset + 4 + size])
        offset += 4 + size + (4 - size % 4) % 4
    return kind, data[8:20], attributes


def _error(attributes: dict[int, bytes]) -> tuple[int, str]:
    value = attributes.get(ERROR_CODE, b"\0\0\0\0")
    code = (value[2] & 0x07) * 100 + value[3]
    return code, value[4:].decode(errors="replace")


def _xor_address(value: bytes) -> tuple[str, int]:
    port = struct.unpack("!H", value[2:4])[0] ^ (MAGIC >> 16)
    address = struct.unpack("!I", value[4:8])[0] ^ MAGIC
    return socket.inet_ntoa(struct.pack("!I", address)), port


def allocate(
    url: str, username: str, password: str, *, timeout: float = 3.0, release: bool = True
) -> Allocation:
    """Ask the TURN server at `url` for a UDP relay with these credentials (long-term auth)."""
    host, port, transport = parse_turn_url(url)
    if transport != "udp":
        raise TurnError(f"only UDP TURN URLs can be probed here, not {transport}")
    target = (socket.gethostbyname(host), port)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)

        def ask(kind: int, attributes: list[bytes], key: bytes | None = None):
            tid = os.urandom(12)
            sock.sendto(_message(kind, tid, attributes, key), target)
            while True:
                try:
                    data, _ = sock.recvfrom(4096)
                except TimeoutError as error:
                    raise TurnError(f"no answer from {host}:{port} (UDP)") from error
                answer = _parse(data)
                if answer[1] == tid:
                    return answer

        transport_attr = _attribute(REQUESTED_TRANSPORT, bytes([UDP, 0, 0, 0]))
        kind, _, attrs = ask(ALLOCATE, [transport_attr])
        if kind == ALLOCATE | SUCCESS:
            raise TurnError("the server allocated a relay without credentials (open relay)")
        code, reason = _error(attrs)
        if code != 401 or REALM not in attrs or NONCE not in attrs:
            raise TurnError(f"unexpected answer {code} {reason}", code)
        realm, nonce = attrs[REALM], attrs[NONCE]
        key = hashlib.md5(  # noqa: S324 (RFC 8489 long-term credential key is MD5 by definition)
            f"{username}:{realm.decode()}:{password}".encode()
        ).digest()
        auth = [
            _attribute(USERNAME, username.encode()),
            _attribute(REALM, realm),
            _attribute(NONCE, nonce),
        ]
        kind, _, attrs = ask(ALLOCATE, [transport_attr, *auth], key)
        if kind != ALLOCATE | SUCCESS:
            code, reason = _error(attrs)
            raise TurnError(f"allocation refused: {code} {reason}".strip(), code)
        relay_host, relay_port = _xor_address(attrs[XOR_RELAYED_ADDRESS])
        lifetime = struct.unpack("!I", attrs.get(LIFETIME, b"\0\0\0\0"))[0]
        if release:
            # Lifetime 0 frees the relay at once instead of leaving it for its lifetime.
            ask(REFRESH, [_attribute(LIFETIME, b"\0\0\0\0"), *auth], key)
        return Allocation(relay_host, relay_port, lifetime)
