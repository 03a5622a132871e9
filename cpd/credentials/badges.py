"""Open Badges 3.0 (1EdTech): each credential as an OpenBadgeCredential in a VC-JWT, signed EdDSA
with the issuer's Ed25519 key (`kid` in the header, the keys at /.well-known/jwks.json)."""
import base64
import json
import warnings
from contextlib import contextmanager
from datetime import datetime, time, timezone

from flask import current_app
from joserfc import jws
from joserfc.errors import JoseError

from cpd.core.urls import public_base_url, public_url
from cpd.credentials import keys
from cpd.credentials.issuing import revocation_of

CONTEXTS = ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def issuer_profile():
    base = public_base_url()
    return {"id": f"{base}/", "type": ["Profile"], "name": current_app.config["BODY_NAME"], "url": f"{base}/"}


def _moment(day):
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


def credential_url(credential):
    return public_url("api_credentials.credential_jwt", credential_id=credential.id)


def verify_url(credential):
    return public_url("credentials.verify_page", credential_id=credential.id)


def open_badge(credential):
    """The OpenBadgeCredential, as the `vc` claim carries it."""
    valid_from = credential.issued_at.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    achievement = {
        "id": credential.achievement_url, "type": ["Achievement"], "name": credential.name,
        "description": credential.description,
        "criteria": {"narrative": "Attendance recorded on the event's register by its organisers."
                     if credential.kind == "attendance" else
                     "Competence assessed against the register's standard by two registered assessors, "
                     "and ratified by the body."},
        "achievementType": "Certificate" if credential.kind == "attendance" else "Certification",
    }
    subject = {
        "type": ["AchievementSubject"], "achievement": achievement,
        "identifier": [{"type": "IdentityObject", "identityHash": credential.subject_hash,
                        "identityType": "emailAddress", "hashed": True, "salt": credential.subject_salt}],
    }
    if credential.cpd_hours is not None:
        achievement["creditsAvailable"] = float(credential.cpd_hours)
        subject["creditsEarned"] = float(credential.cpd_hours)
    return {
        "@context": CONTEXTS, "id": credential_url(credential),
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": issuer_profile(),
        "name": credential.name, "validFrom": valid_from, "issuanceDate": valid_from,
        "credentialSubject": subject,
        "credentialStatus": {"id": public_url("api_credentials.verify", credential_id=credential.id),
                             "type": "1EdTechRevocationList"},
    }


def signed_jwt(credential):
    """The compact JWS: header {alg: EdDSA, kid, typ: JWT}; claims iss, jti, sub, nbf, iat and vc."""
    vc = open_badge(credential)
    issued = int(credential.issued_at.timestamp())
    claims = {"iss": vc["issuer"]["id"], "jti": vc["id"], "sub": credential.subject_hash,
              "nbf": issued, "iat": issued, "vc": vc}
    kid, key = keys.current_key()
    payload = json.dumps(claims, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with _eddsa_as_ob3_names_it():
        return jws.serialize_compact({"alg": "EdDSA", "kid": kid, "typ": "JWT"}, payload, key, algorithms=["EdDSA"])


@contextmanager
def _eddsa_as_ob3_names_it():
    """Open Badges 3.0 and today's verifiers name the algorithm EdDSA; RFC 9864's newer name
    (Ed25519) makes the JOSE library warn about the older one, which we keep on purpose."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        yield


def check_jwt(token):
    """(claims, None) when `token` carries our valid signature, else (None, why)."""
    try:
        header = json.loads(_decoded_segment(token, 0))
    except (ValueError, UnicodeError, IndexError, AttributeError):
        return None, "not a compact JWS"
    key = keys.verification_key(header.get("kid")) if isinstance(header, dict) else None
    if key is None:
        return None, "signed with a key we do not hold"
    try:
        with _eddsa_as_ob3_names_it():
            verified = jws.deserialize_compact(token, key, algorithms=["EdDSA"])
        return json.loads(verified.payload), None
    except (JoseError, ValueError):
        return None, "the signature does not match: the token was altered"


def _decoded_segment(token, index):
    part = token.split(".")[index]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8")


def status(credential):
    """What the verify endpoint says of a credential."""
    reason = revocation_of(credential)
    return {"id": credential.id, "valid": reason is None, "revoked": reason is not None, "reason": reason,
            "kind": credential.kind, "name": credential.name, "issued_on": credential.issued_at.date(),
            "issuer": issuer_profile()["name"], "issuer_url": issuer_profile()["id"],
            "cpd_hours": float(credential.cpd_hours) if credential.cpd_hours is not None else None}
