"""Calling the body's other systems (a webhook's POST, a learning record store's GET): one request
with a short timeout, no redirects followed, and in production only https:// to public addresses, judged on the addresses the name resolves to at sending time and
connected to exactly those (so a name that turns private between the check and the connection, DNS
rebinding, reaches nothing inside the network)."""
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 5


class Refused(Exception):
    """The URL may not be sent to (its scheme or where it resolves)."""


@dataclass
class Answer:
    status: int
    duration_ms: int


def _addresses(host, port):
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise Refused(f"{host} does not resolve: {error}") from None
    return [ipaddress.ip_address(info[4][0]) for info in found]


def check_url(url, public_only):
    """(scheme, host, port, path, the address to connect to); Refused when it may not be used."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise Refused("Give an https:// address.")
    if public_only and parts.scheme != "https":
        raise Refused("Only https:// addresses are sent to.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = _addresses(parts.hostname, port)
    if public_only and not all(address.is_global for address in addresses):
        raise Refused(f"{parts.hostname} resolves to a private, loopback or link-local address.")
    if not public_only and not all(address.is_global or address.is_loopback for address in addresses):
        raise Refused(f"{parts.hostname} resolves to a private or link-local address.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path, str(addresses[0])


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


@dataclass
class Reply:
    status: int
    body: bytes
    duration_ms: int


def request(method, url, headers, public_only, body=None, read_limit=64 * 1024, whole=False):
    """One request to `url`, connected to the address checked; a Reply (any status: a redirect is an
    answer, not followed) with up to `read_limit` bytes of the answer (`whole`: an answer longer is
    an error). Raises Refused, or OSError for a connection that failed or timed out."""
    scheme, host, port, path, address = check_url(url, public_only)
    if scheme == "https":
        connection = _PinnedHTTPSConnection(host, port, address, timeout=TIMEOUT_SECONDS,
                                            context=ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(host, port, address, timeout=TIMEOUT_SECONDS)
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers={**headers, "Host": host})
        response = connection.getresponse()
        content = response.read(read_limit + 1)
        if whole and len(content) > read_limit:
            raise OSError(f"The answer from {host} is longer than {read_limit} bytes.")
        return Reply(response.status, content[:read_limit], int((time.monotonic() - started) * 1000))
    finally:
        connection.close()


def post(url, body, headers, public_only):
    """POST a webhook's JSON `body` (bytes); an Answer."""
    reply = request("POST", url, {**headers, "Content-Type": "application/json"}, public_only, body=body)
    return Answer(reply.status, reply.duration_ms)
