"""Open Badges 3.0 credentials over the W3C Verifiable Credentials Data Model 2.0, secured as JWTs.

Sources: Open Badges 3.0 (1EdTech), "JSON Web Token Proof Format": the JWT payload is the
credential itself, with `iss` (the issuer's id), `sub` (credentialSubject.id), `jti` (the
credential's id), `nbf` (validFrom) and `exp` (validUntil) beside it; the header's `alg` RS256 and
`kid` a URL that dereferences to the key. VC Data Model 2.0: `@context` starts with
https://www.w3.org/ns/credentials/v2; `validFrom`, `validUntil`; a credential secured elsewhere is
carried in another as an EnvelopedVerifiableCredential. Bitstring Status List v1.0: each
credential's `credentialStatus` is a BitstringStatusListEntry into a signed
BitstringStatusListCredential whose `encodedList` is the GZIP-compressed bitstring, base64url with
the multibase prefix "u". CLR 2.0: a ClrCredential's ClrSubject bundles a learner's credentials.
"""
import base64
import gzip
import json
import warnings
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone

from flask import current_app
from joserfc import jws
from joserfc.errors import JoseError

from cpd.core.models import utcnow
from cpd.core.urls import public_base_url, public_url
from cpd.credentials import keys
from cpd.credentials.issuing import STATUS_LIST_SIZE, revocation_of, revoked_in_list, subject_id

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CONTEXTS = [VC_CONTEXT, OB_CONTEXT]
# OB 3.0 names this schema for an OpenBadgeCredential (its "JSON Schema" section).
ACHIEVEMENT_SCHEMA = {"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
                      "type": "1EdTechJsonSchemaValidator2019"}
CLR_SCHEMA = {"id": "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json",
              "type": "1EdTechJsonSchemaValidator2019"}
JWT_TYPE = "JWT"
# A status list is signed afresh on each request; a copy is good for this long (a verifier refuses a
# stale one, so an old copy cannot un-revoke a credential).
STATUS_LIST_LIFETIME = timedelta(hours=1)

CRITERIA = {
    "attendance": "Attendance recorded on the event's register by its organisers.",
    "registration": "Competence assessed against the register's standard by two registered assessors, and "
                    "ratified by the body; held for the registration year while the registrant keeps to its CPD "
                    "and conduct requirements.",
}


def issuer_profile():
    base = public_base_url()
    return {"id": f"{base}/", "type": ["Profile"], "name": current_app.config["BODY_NAME"], "url": f"{base}/"}


def _stamp(moment):
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _midnight(day):
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


def credential_url(credential):
    return public_url("api_credentials.credential_jwt", credential_id=credential.id)


def verify_url(credential):
    return public_url("credentials.verify_page", credential_id=credential.id)


def image_url(kind):
    return public_url("static", filename=f"credentials/{kind}.svg")


def status_list_url(number):
    return public_url("api_credentials.status_list", number=number)


def validity(credential):
    """(validFrom, validUntil or None, awardedDate) of a credential, as datetimes. A registration's
    credential holds for its registration year (the calendar year it was issued for), from the day
    awarded if that came later."""
    if credential.kind != "registration":
        return credential.issued_at, None, credential.issued_at
    year = credential.period or credential.issued_at.year
    starts = max(_midnight(credential.started_on), _midnight(date(year, 1, 1)))
    return starts, datetime(year, 12, 31, 23, 59, 59, tzinfo=timezone.utc), _midnight(credential.started_on)


def _achievement(credential):
    achievement = {
        "id": credential.achievement_url, "type": ["Achievement"], "name": credential.name,
        "description": credential.description or credential.name,
        "criteria": {"narrative": CRITERIA[credential.kind]},
        "image": {"id": image_url(credential.kind), "type": "Image", "caption": credential.name},
        "achievementType": "Certificate" if credential.kind == "attendance" else "License",
    }
    if credential.cpd_hours is not None:
        achievement["creditsAvailable"] = float(credential.cpd_hours)
    return achievement


def open_badge(credential, holder):
    """The OpenBadgeCredential (VC 2.0) for `credential`, held by the member `holder`."""
    valid_from, valid_until, awarded = validity(credential)
    subject = {"id": subject_id(holder), "type": ["AchievementSubject"], "achievement": _achievement(credential)}
    if credential.subject_hash:
        subject["identifier"] = [{"type": "IdentityObject", "identityHash": credential.subject_hash,
                                  "identityType": "emailAddress", "hashed": True, "salt": credential.subject_salt}]
    if credential.cpd_hours is not None:
        subject["creditsEarned"] = float(credential.cpd_hours)
    badge = {
        "@context": CONTEXTS, "id": credential_url(credential),
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": issuer_profile(),
        "name": credential.name, "validFrom": _stamp(valid_from), "awardedDate": _stamp(awarded),
        "credentialSubject": subject, "credentialSchema": [ACHIEVEMENT_SCHEMA],
        "credentialStatus": {
            "id": f"{status_list_url(credential.status_list)}#{credential.status_index}",
            "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": str(credential.status_index),
            "statusListCredential": status_list_url(credential.status_list)},
    }
    if valid_until is not None:
        badge["validUntil"] = _stamp(valid_until)
    return badge


def _registered_claims(document, valid_from, valid_until):
    """The JWT's registered claims beside the credential's members (OB 3.0's JWT proof format)."""
    claims = {**document, "iss": document["issuer"]["id"], "jti": document["id"], "nbf": int(valid_from.timestamp()),
              "iat": int(utcnow().timestamp())}
    subject = document["credentialSubject"]
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    if valid_until is not None:
        claims["exp"] = int(valid_until.timestamp())
    return claims


def sign(claims):
    """The compact JWS of `claims`, RS256, with the key's URL as `kid`."""
    kid, key = keys.current_key()
    payload = json.dumps(claims, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return jws.serialize_compact({"alg": "RS256", "kid": kid, "typ": JWT_TYPE}, payload, key, algorithms=["RS256"])


def signed_jwt(credential, holder):
    """The credential as a VC-JWT."""
    document = open_badge(credential, holder)
    valid_from, valid_until, _ = validity(credential)
    return sign(_registered_claims(document, valid_from, valid_until))


def encoded_list(positions, size=STATUS_LIST_SIZE):
    """The bitstring with `positions` set (the first bit is the highest of the first byte), GZIP-
    compressed and base64url-encoded with the multibase prefix "u"."""
    bits = bytearray(size // 8)
    for position in positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def signed_status_list(number):
    """Status list `number` as a signed BitstringStatusListCredential (VC-JWT), good for an hour."""
    url = status_list_url(number)
    now = utcnow().replace(microsecond=0)
    document = {
        "@context": [VC_CONTEXT], "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile(), "validFrom": _stamp(now), "validUntil": _stamp(now + STATUS_LIST_LIFETIME),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encoded_list(revoked_in_list(number))},
    }
    return sign(_registered_claims(document, now, now + STATUS_LIST_LIFETIME))


def enveloped(token):
    """A credential secured as a JWT, carried inside another (VC 2.0's EnvelopedVerifiableCredential)."""
    return {"@context": VC_CONTEXT, "id": f"data:application/vc+jwt,{token}", "type": "EnvelopedVerifiableCredential"}


def signed_transcript(holder, year, credentials):
    """A year's transcript: a CLR 2.0 ClrCredential whose ClrSubject carries each of the year's
    credentials (as signed, enveloped) and their achievements."""
    tokens = [signed_jwt(credential, holder) for credential in credentials]
    now = utcnow().replace(microsecond=0)
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT, CLR_CONTEXT],
        "id": public_url("api_credentials.transcript", year=year) + f"#{holder.credential_subject_id}",
        "type": ["VerifiableCredential", "ClrCredential"], "issuer": issuer_profile(),
        "name": f"Transcript {year}: {current_app.config['BODY_NAME']}", "validFrom": _stamp(now),
        "credentialSubject": {
            "id": subject_id(holder), "type": "ClrSubject",
            "achievement": [_achievement(credential) for credential in credentials],
            "verifiableCredential": [enveloped(token) for token in tokens]},
        "credentialSchema": [CLR_SCHEMA],
    }
    return sign(_registered_claims(document, now, None))


def check_jwt(token):
    """(claims, None) when `token` carries our valid signature (RS256 now; EdDSA for tokens an earlier
    Ed25519 key signed), the algorithm the key's own, else (None, why). `alg: none` and an HMAC
    "signed" with the public key never pass: the algorithm comes from the key, not the header."""
    try:
        header = json.loads(_decoded_segment(token, 0))
    except (ValueError, UnicodeError, IndexError, AttributeError):
        return None, "not a compact JWS"
    found = keys.verification_key(header.get("kid")) if isinstance(header, dict) else None
    if found is None:
        return None, "signed with a key we do not hold"
    key, algorithm = found
    if header.get("alg") != algorithm:
        return None, f"the algorithm is not the key's own ({algorithm})"
    try:
        with _eddsa_as_earlier_tokens_name_it():
            verified = jws.deserialize_compact(token, key, algorithms=[algorithm])
        return json.loads(verified.payload), None
    except (JoseError, ValueError):
        return None, "the signature does not match: the token was altered"


@contextmanager
def _eddsa_as_earlier_tokens_name_it():
    """Tokens signed before RS256 name their algorithm EdDSA; RFC 9864's newer name (Ed25519) makes
    the JOSE library warn about the older one, which those tokens carry."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        yield


def _decoded_segment(token, index):
    part = token.split(".")[index]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8")


def credential_id_of(claims):
    """The credential's own id from a token's claims (the id, or `vc.id` in tokens signed before)."""
    value = claims.get("jti") or (claims.get("vc") or {}).get("id") or ""
    return str(value).rsplit("/", 1)[-1].removesuffix(".jwt")


def status(credential):
    """What the verify endpoint says of a credential."""
    reason = revocation_of(credential)
    valid_from, valid_until, _ = validity(credential)
    expired = valid_until is not None and valid_until < utcnow()
    if reason is None and expired:
        reason = f"it held until {valid_until:%-d %B %Y}"
    return {"id": credential.id, "valid": reason is None, "revoked": credential.revoked_at is not None or (
                reason is not None and not expired), "reason": reason,
            "kind": credential.kind, "name": credential.name, "issued_on": credential.issued_at.date(),
            "valid_until": valid_until.date() if valid_until else None,
            "revoked_on": credential.revoked_at.date() if credential.revoked_at else None,
            "holder": credential.holder.full_name if credential.holder.name_on_credentials
            and credential.holder.is_active else None,
            "issuer": issuer_profile()["name"], "issuer_url": issuer_profile()["id"],
            "cpd_hours": float(credential.cpd_hours) if credential.cpd_hours is not None else None}
