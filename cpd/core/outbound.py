"""Where the service may send requests in production: public HTTPS addresses only, never a private,
loopback or link-local one (an address in a setting could otherwise reach inside the network)."""
import ipaddress
from urllib.parse import urlsplit

LOCAL_NAMES = ("localhost", "localhost.localdomain")


def is_public_https(url):
    """True for https:// to a public host. A host given by name is judged by its name (it is resolved
    only when used); an address literal by its range."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or host in LOCAL_NAMES or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return address.is_global
