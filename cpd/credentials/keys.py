"""The issuer's signing keys. The current one is RSA and signs RS256, the algorithm Open Badges 3.0
requires every verifier to support (OB 3.0, "JSON Web Token Proof Format": "RS256 ... MUST be
supported"); earlier keys (RSA, or the Ed25519 keys that signed EdDSA before) stay published in the
JWKS so what they signed still verifies after a rotation.

Each key's `kid` is a URL that dereferences to it: the JWKS address with the key's RFC 7638
thumbprint as its fragment (OB 3.0: "kid ... A URI that can be dereferenced to an object of type
JWK"). Tokens signed before carry the bare thumbprint; both are recognised.

CREDENTIAL_SIGNING_KEY holds the current key as a PEM; CREDENTIAL_PREVIOUS_KEYS, earlier keys' PEMs
(private or public), one after another. Without CREDENTIAL_SIGNING_KEY, development generates a key
into instance/ once (an Ed25519 key generated there before is kept as an earlier key); testing keeps
one per SECRET_KEY in the system's temporary folder, so every worker signs with the same key
without sharing configuration. Production refuses to start without a key of its own (cpd.create_app).
"""
import hashlib
import os
import re
import tempfile
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from joserfc.jwk import OKPKey, RSAKey

from cpd.core.urls import public_url

PEM_BLOCK = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.S)
KEY_FILE = "credential-signing-key-rs256.pem"
EARLIER_KEY_FILE = "credential-signing-key.pem"  # the Ed25519 key development made before RS256
RSA_BITS = 2048
PRIVATE_KEYS = (rsa.RSAPrivateKey, Ed25519PrivateKey)


def _public(key):
    return key.public_key() if isinstance(key, PRIVATE_KEYS) else key


def _public_pem(key):
    return _public(key).public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _jose_public(key):
    """The public key as joserfc holds it."""
    family = RSAKey if isinstance(_public(key), rsa.RSAPublicKey) else OKPKey
    return family.import_key(_public_pem(key))


def thumbprint_of(key):
    """The RFC 7638 thumbprint of the public key."""
    return _jose_public(key).thumbprint()


def kid_of(key):
    """The URL of the key in the JWKS: what `kid` says in every token it signs."""
    return f"{public_url('credentials.jwks')}#{thumbprint_of(key)}"


def load_key(pem):
    """The key in `pem` (private, or public for an earlier key); ValueError when it is none we sign with."""
    pem = pem.replace("\\n", "\n") if isinstance(pem, str) else pem  # one line in an environment file
    pem = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError:
        key = serialization.load_pem_public_key(pem)
    if not isinstance(_public(key), (rsa.RSAPublicKey, Ed25519PublicKey)):
        raise ValueError("Credential keys must be RSA (or Ed25519, for an earlier key).")
    return key


def check_current(key):
    """The current key signs RS256: an RSA private key of at least 2048 bits."""
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < RSA_BITS:
        raise ValueError("CREDENTIAL_SIGNING_KEY must be an RSA private key of at least 2048 bits (Open Badges "
                         "3.0 requires RS256): make one with `flask credentials new-key`, and keep the old key "
                         "in CREDENTIAL_PREVIOUS_KEYS so what it signed still verifies.")
    return key


def _pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def new_private_key_pem():
    return _pem(rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS))


def _key_file(path):
    """The key kept at `path`, made there first by whichever process gets there first."""
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker made it first
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(new_private_key_pem())
    for _ in range(50):  # the maker may still be writing it
        with open(path, encoding="ascii") as handle:
            text = handle.read()
        if "-----END" in text:
            return load_key(text)
        os.sched_yield()
    raise RuntimeError(f"The credential key at {path} is incomplete.")


def _earlier_development_key(instance_path):
    path = os.path.join(instance_path, EARLIER_KEY_FILE)
    if not os.path.exists(path):
        return []
    with open(path, encoding="ascii") as handle:
        return [load_key(handle.read())]


def _testing_keys(secret):
    """The RSA key for this SECRET_KEY, and the Ed25519 key testing derived from it before RS256."""
    digest = hashlib.sha256(secret.encode("utf-8")).hexdigest()[:16]
    current = _key_file(os.path.join(tempfile.gettempdir(), f"cpd-credential-key-{digest}.pem"))
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"credential-signing-key",
                info=b"ed25519").derive(secret.encode("utf-8"))
    return current, [Ed25519PrivateKey.from_private_bytes(seed)]


@lru_cache(maxsize=8)
def _keys_for(configured, previous, env_name, instance_path, secret):
    earlier = [load_key(block) for block in PEM_BLOCK.findall(previous or "")]
    if configured:
        current = load_key(configured)
    elif env_name == "development":
        current = _key_file(os.path.join(instance_path, KEY_FILE))
        earlier += _earlier_development_key(instance_path)
    elif env_name == "testing":
        current, derived = _testing_keys(secret)
        earlier += derived
    else:
        raise RuntimeError("CREDENTIAL_SIGNING_KEY is not set.")
    return check_current(current), earlier


def signing_keys():
    """(the current private key, [earlier keys])."""
    config = current_app.config
    return _keys_for(config.get("CREDENTIAL_SIGNING_KEY") or "", config.get("CREDENTIAL_PREVIOUS_KEYS") or "",
                     config["ENV_NAME"], current_app.instance_path, config["SECRET_KEY"])


def current_key():
    """(kid, the private key as a joserfc key) to sign with, RS256."""
    key = signing_keys()[0]
    return kid_of(key), RSAKey.import_key(_pem(key))


def _jwk(key):
    public = _public(key)
    kid = kid_of(key)
    if isinstance(public, rsa.RSAPublicKey):
        return {**RSAKey.import_key(_public_pem(key)).as_dict(private=False), "kid": kid, "alg": "RS256", "use": "sig"}
    return {**OKPKey.import_key(_public_pem(key)).as_dict(private=False), "kid": kid, "alg": "EdDSA", "use": "sig"}


def public_jwks():
    """{"keys": [...]}: every key that may have signed a credential still held, newest first."""
    current, earlier = signing_keys()
    return {"keys": [_jwk(key) for key in [current, *earlier]]}


def verification_key(kid):
    """(the public key as joserfc holds it, its algorithm) published under `kid` (its URL, or the bare
    thumbprint tokens signed before carried), or None."""
    if not isinstance(kid, str):
        return None
    thumbprint = kid.rsplit("#", 1)[-1]
    current, earlier = signing_keys()
    for key in [current, *earlier]:
        if thumbprint_of(key) == thumbprint and kid in (thumbprint, kid_of(key)):
            public = _jose_public(key)
            return public, "RS256" if isinstance(public, RSAKey) else "EdDSA"
    return None
