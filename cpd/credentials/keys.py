"""The issuer's signing keys (Ed25519, EdDSA): the current one signs; earlier ones stay published in
the JWKS so credentials they signed still verify after a rotation.

CREDENTIAL_SIGNING_KEY holds the current key as a PEM; CREDENTIAL_PREVIOUS_KEYS, earlier keys' PEMs
(private or public), one after another. Without CREDENTIAL_SIGNING_KEY, development generates a key
into instance/ once; testing derives one from SECRET_KEY (HKDF), so every worker signs with the same
key without sharing a file. Production refuses to start without a key of its own (cpd.create_app).
"""
import base64
import os
import re
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from joserfc.jwk import OKPKey

PEM_BLOCK = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.S)
KEY_FILE = "credential-signing-key.pem"


def _b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _public_raw(key):
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def kid_of(key):
    """The RFC 7638 thumbprint of the public key (joserfc computes it): the `kid` in every token it signs."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return OKPKey.import_key(public.public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)).thumbprint()


def load_key(pem):
    """The key in `pem` (private, or public for an earlier key); ValueError when it is none we sign with."""
    pem = pem.replace("\\n", "\n") if isinstance(pem, str) else pem  # one line in an environment file
    pem = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError:
        key = serialization.load_pem_public_key(pem)
    if not isinstance(key, (Ed25519PrivateKey, Ed25519PublicKey)):
        raise ValueError("Credential keys must be Ed25519.")
    return key


def _pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def new_private_key_pem():
    return _pem(Ed25519PrivateKey.generate())


def _development_key():
    path = os.path.join(current_app.instance_path, KEY_FILE)
    if not os.path.exists(path):
        os.makedirs(current_app.instance_path, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker made it first
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(_pem(Ed25519PrivateKey.generate()))
    with open(path, encoding="ascii") as handle:
        return load_key(handle.read())


def _derived_key(secret):
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"credential-signing-key",
                info=b"ed25519").derive(secret.encode("utf-8"))
    return Ed25519PrivateKey.from_private_bytes(seed)


@lru_cache(maxsize=8)
def _keys_for(configured, previous, env_name, instance_path, secret):
    if configured:
        current = load_key(configured)
    elif env_name == "development":
        current = _development_key()
    elif env_name == "testing":
        current = _derived_key(secret)
    else:
        raise RuntimeError("CREDENTIAL_SIGNING_KEY is not set.")
    earlier = [load_key(block) for block in PEM_BLOCK.findall(previous or "")]
    return current, earlier


def signing_keys():
    """(the current private key, [earlier keys])."""
    config = current_app.config
    return _keys_for(config.get("CREDENTIAL_SIGNING_KEY") or "", config.get("CREDENTIAL_PREVIOUS_KEYS") or "",
                     config["ENV_NAME"], current_app.instance_path, config["SECRET_KEY"])


def current_key():
    """(kid, the private key as a joserfc key) to sign with."""
    key = signing_keys()[0]
    return kid_of(key), OKPKey.import_key(_pem(key))


def public_jwks():
    """{"keys": [...]}: every key that may have signed a credential still held, newest first."""
    current, earlier = signing_keys()
    keys = []
    for key in [current, *earlier]:
        keys.append({"kty": "OKP", "crv": "Ed25519", "x": _b64(_public_raw(key)), "kid": kid_of(key),
                     "alg": "EdDSA", "use": "sig"})
    return {"keys": keys}


def verification_key(kid):
    """The public key (joserfc) published under `kid`, or None."""
    current, earlier = signing_keys()
    for key in [current, *earlier]:
        if kid_of(key) == kid:
            public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
            pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            return OKPKey.import_key(pem)
    return None
