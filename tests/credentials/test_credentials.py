"""Credentials: a certificate and an Open Badges 3.0 VC-JWT for each attended event and each
registration year held, checked by someone else's code: openbadgeslib's OB 3.0 verifier (the VC 2.0
structure, the signature against our published key, the Bitstring Status List) and two general
JOSE libraries (PyJWT, jwcrypto) against the published JWKS; a tampered token, a key not in the
JWKS, alg none and HS256 with the public key all fail; marking absent, a lapse and an erasure
revoke through the status list; the PDF carries the verify URL; keys rotate without old
credentials failing."""
import base64
import hashlib
import hmac
import io
import json
from datetime import date, datetime, timedelta, timezone

import jwt as pyjwt
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwcrypto import jwk, jws
from openbadgeslib.ob3.verifier import OB3Verifier, OB3VerificationError
from pypdf import PdfReader

from cpd.core.models import utcnow
from cpd.credentials import keys
from cpd.credentials.keys import new_private_key_pem
from cpd.extensions import db
from cpd.members.models import ProfessionalRegistration

BASE = "http://localhost"


def published_keys(client):
    return client.get("/.well-known/jwks.json").get_json()["keys"]


def verify_independently(client, token, alg="RS256"):
    """(header, claims) if the signature verifies with the key its kid names in our JWKS (jwcrypto), else raises."""
    keyset = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").get_data(as_text=True))
    signed = jws.JWS()
    signed.deserialize(token)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    signed.verify(keyset.get_key(header["kid"]), alg=alg)
    return header, json.loads(signed.payload)


def verify_with_pyjwt(client, token):
    """The claims, checked by PyJWT with the JWKS key whose kid the header names (RS256 only)."""
    header = pyjwt.get_unverified_header(token)
    keyset = pyjwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").get_json())
    key = next(k for k in keyset.keys if k.key_id == header["kid"])
    return pyjwt.decode(token, key.key, algorithms=["RS256"], options={"verify_aud": False})


def fetch_from(client):
    """What a verifier downloads (a status list), fetched from the app."""
    from urllib.parse import urlsplit

    def download(url):
        parts = urlsplit(url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, (url, response.status_code)
        return response.data
    return download


def ob3_verifier(app):
    """openbadgeslib's verifier, given our current public key (as a relying party pins it)."""
    with app.app_context():
        public = keys.signing_keys()[0].public_key()
    return OB3Verifier(public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))


def token_of(client, credential):
    response = client.get(f"/api/v1/credentials/{credential['id']}.jwt")
    assert response.status_code == 200, response.get_json()
    return response.get_data(as_text=True)


@pytest.fixture
def attended(client, create_member, create_event, create_booking, create_staff, auth_headers):
    """Ada attended a six-hour event (marked on its register, which credits her CPD) and holds CEng."""
    member = create_member(email="Ada.Lovelace@Example.org", full_name="Ada Lovelace",
                           registrations=[("CEng", date(2024, 6, 1))])
    event = create_event(title="Vibration analysis", starts_at=utcnow() - timedelta(days=3), hours=6, cpd_hours=6)
    booking_id = create_booking(member, event)
    marked = client.put(f"/api/v1/events/{event.id}/attendance", headers=auth_headers(create_staff()),
                        json={"attended": [booking_id]})
    assert marked.status_code == 200, marked.get_json()
    return member, event, booking_id


def credentials_of(client, headers):
    return {c["kind"]: c for c in client.get("/api/v1/me/credentials", headers=headers).get_json()["items"]}


def test_each_attended_event_and_registration_year_has_a_credential(client, attended, auth_headers, create_member):
    member, event, _ = attended
    headers = auth_headers(member)
    found = credentials_of(client, headers)
    assert set(found) == {"attendance", "registration"}
    assert (found["attendance"]["name"], found["attendance"]["revoked"], found["attendance"]["cpd_hours"]) == (
        "Certificate of attendance: Vibration analysis", False, 6.0)
    assert found["registration"]["name"] == "Professional registration: Chartered Engineer (Engineering Council)"
    assert (found["registration"]["period"], found["registration"]["started_on"]) == (utcnow().year, "2024-06-01")
    assert found["attendance"]["verify_url"].endswith(f"/credentials/{found['attendance']['id']}")
    # Listing again issues nothing twice.
    assert credentials_of(client, headers)["attendance"]["id"] == found["attendance"]["id"]
    assert client.get("/api/v1/me/credentials", headers=auth_headers(create_member())).get_json()["total"] == 0


def test_an_independent_open_badges_verifier_accepts_each_credential(client, app, attended, auth_headers):
    member, event, _ = attended
    found = credentials_of(client, auth_headers(member))
    verifier, download = ob3_verifier(app), fetch_from(client)
    for kind, credential in found.items():
        token = token_of(client, credential)
        checked = verifier.verify(token, check_status=True, verify_status_list=True, download=download)
        assert checked.name == credential["name"], kind
        header, claims = verify_independently(client, token)
        assert verify_with_pyjwt(client, token)["jti"] == claims["id"]
        assert header["alg"] == "RS256" and header["typ"] == "JWT"
        assert header["kid"] == published_keys(client)[0]["kid"] and header["kid"].startswith("https://")
        assert header["kid"].split("#")[0].endswith("/.well-known/jwks.json")
        assert claims["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
        assert "vc" not in claims and claims["iss"] == claims["issuer"]["id"] and claims["jti"] == claims["id"]
        subject = claims["credentialSubject"]
        assert claims["sub"] == subject["id"] and subject["id"].startswith("urn:uuid:")
        assert claims["nbf"] == int(datetime.fromisoformat(claims["validFrom"]).timestamp())
        achievement = subject["achievement"]
        assert achievement["image"]["id"].endswith(f"/static/credentials/{kind}.svg")
        assert client.get(achievement["image"]["id"].split("localhost", 1)[-1].split(".org", 1)[-1]).status_code == 200
        assert claims["credentialStatus"]["type"] == "BitstringStatusListEntry"
        assert claims["credentialStatus"]["statusPurpose"] == "revocation"
        assert "lovelace" not in token.lower() and "lovelace" not in json.dumps(claims).lower()
    attendance = verify_independently(client, token_of(client, found["attendance"]))[1]
    assert attendance["credentialSubject"]["creditsEarned"] == 6.0 and "validUntil" not in attendance
    identity = attendance["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(
        ("ada.lovelace@example.org" + identity["salt"]).encode()).hexdigest()
    registration = verify_independently(client, token_of(client, found["registration"]))[1]
    year = utcnow().year
    assert registration["awardedDate"] == "2024-06-01T00:00:00Z"
    assert (registration["validFrom"], registration["validUntil"]) == (f"{year}-01-01T00:00:00Z", f"{year}-12-31T23:59:59Z")
    assert registration["exp"] == int(datetime(year, 12, 31, 23, 59, 59, tzinfo=timezone.utc).timestamp())


def test_forged_tokens_fail_everywhere(client, app, attended, auth_headers):
    # Tampered claims, a key not in the JWKS, alg none, and HS256 "signed" with our public key.
    member, _, _ = attended
    credential = credentials_of(client, auth_headers(member))["attendance"]
    token = token_of(client, credential)
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    header = json.loads(base64.urlsafe_b64decode(head + "=="))

    def b64(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    tampered = ".".join([head, b64({**claims, "credentialSubject": {**claims["credentialSubject"], "creditsEarned": 60}}),
                         signature])
    stranger = pyjwt.encode(claims, new_private_key_pem(), algorithm="RS256", headers={"kid": header["kid"]})
    unsigned = ".".join([b64({"alg": "none", "kid": header["kid"]}), payload, ""])
    public_pem = published_keys(client)[0]
    with app.app_context():
        pem = keys.signing_keys()[0].public_key().public_bytes(serialization.Encoding.PEM,
                                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    hs_head = b64({"alg": "HS256", "kid": header["kid"], "typ": "JWT"})
    hs256 = f"{hs_head}.{payload}." + base64.urlsafe_b64encode(
        hmac.new(pem, f"{hs_head}.{payload}".encode(), hashlib.sha256).digest()).rstrip(b"=").decode()
    verifier = ob3_verifier(app)
    for forged in (tampered, stranger, unsigned, hs256):
        with pytest.raises(OB3VerificationError):
            verifier.verify(forged)
        with pytest.raises(Exception):
            verify_with_pyjwt(client, forged)
        ours = client.post("/api/v1/credential-verifications", json={"jwt": forged}).get_json()
        assert (ours["valid"], ours["signature_valid"]) == (False, False), forged[:40]
    assert public_pem["kty"] == "RSA" and "d" not in public_pem
    genuine = client.post("/api/v1/credential-verifications", json={"jwt": token}).get_json()
    assert (genuine["valid"], genuine["signature_valid"], genuine["name"]) == (True, True, credential["name"])


def test_marking_absent_a_lapse_and_an_erasure_revoke_through_the_status_list(client, app, attended, auth_headers,
                                                                             create_staff):
    member, event, booking_id = attended
    staff = auth_headers(create_staff())
    found = credentials_of(client, auth_headers(member))
    attendance, registration = found["attendance"]["id"], found["registration"]["id"]
    tokens = {kind: token_of(client, credential) for kind, credential in found.items()}
    verifier, download = ob3_verifier(app), fetch_from(client)
    assert client.get(f"/api/v1/credentials/{attendance}/verify").get_json()["valid"] is True

    client.put(f"/api/v1/events/{event.id}/attendance", headers=staff, json={"absent": [booking_id]})
    # The token the holder kept is still well signed, but the status list now says revoked.
    with pytest.raises(OB3VerificationError, match="revocation"):
        verifier.verify(tokens["attendance"], check_status=True, download=download)
    verifier.verify(tokens["registration"], check_status=True, download=download)
    marked = client.get(f"/api/v1/credentials/{attendance}/verify").get_json()
    assert (marked["valid"], marked["revoked"], marked["reason"]) == (False, True, "the attendance is no longer recorded")
    assert client.get(f"/api/v1/credentials/{attendance}.jwt").status_code == 410

    with app.app_context():
        db.session.execute(sa.update(ProfessionalRegistration).values(lapsed_on=utcnow().date()))
        db.session.commit()
    with pytest.raises(OB3VerificationError, match="revocation"):
        verifier.verify(tokens["registration"], check_status=True, download=download)
    assert client.get(f"/api/v1/credentials/{registration}/verify").get_json()["reason"] == "the registration has lapsed"
    assert credentials_of(client, auth_headers(member))["registration"]["revoked"] is True

    client.post(f"/api/v1/members/{member.id}/erase", headers=staff)
    erased = client.get(f"/api/v1/credentials/{registration}/verify").get_json()
    assert erased["revoked"] is True and erased["revoked_on"] == utcnow().date().isoformat()
    assert client.get(f"/api/v1/credentials/{registration}.jwt").status_code == 410


def test_the_status_list_is_signed_large_and_says_nothing_of_whose(client, app, attended, auth_headers):
    import gzip

    member, _, _ = attended
    found = credentials_of(client, auth_headers(member))
    listing = client.get("/api/v1/status-lists/1.jwt")
    assert listing.status_code == 200 and listing.mimetype == "application/vc+jwt"
    claims = verify_with_pyjwt(client, listing.get_data(as_text=True))
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = claims["credentialSubject"]
    assert (subject["type"], subject["statusPurpose"]) == ("BitstringStatusList", "revocation")
    bits = gzip.decompress(base64.urlsafe_b64decode(subject["encodedList"][1:] + "=="))
    assert subject["encodedList"][0] == "u" and len(bits) * 8 == 131_072 and not any(bits)
    positions = {int(verify_independently(client, token_of(client, c))[1]["credentialStatus"]["statusListIndex"])
                 for c in found.values()}
    assert len(positions) == 2 and positions != {0, 1}  # drawn at random, not in the order issued
    assert client.get("/api/v1/status-lists/7.jwt").status_code == 404


def test_a_years_transcript_bundles_its_credentials(client, app, attended, auth_headers, create_member):
    member, event, _ = attended
    headers = auth_headers(member)
    year = utcnow().year
    response = client.get(f"/api/v1/me/transcripts/{year}.jwt", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    claims = verify_with_pyjwt(client, response.get_data(as_text=True))
    assert claims["type"] == ["VerifiableCredential", "ClrCredential"]
    assert "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json" in claims["@context"]
    subject = claims["credentialSubject"]
    assert subject["type"] == "ClrSubject" and claims["sub"] == subject["id"]
    verifier = ob3_verifier(app)
    inner = [entry["id"].removeprefix("data:application/vc+jwt,") for entry in subject["verifiableCredential"]]
    assert all(entry["type"] == "EnvelopedVerifiableCredential" for entry in subject["verifiableCredential"])
    names = sorted(verifier.verify(token, check_status=True, download=fetch_from(client)).name for token in inner)
    assert names == ["Certificate of attendance: Vibration analysis",
                     "Professional registration: Chartered Engineer (Engineering Council)"]
    assert client.get(f"/api/v1/me/transcripts/{year - 5}.jwt", headers=headers).status_code == 404
    assert client.get(f"/api/v1/me/transcripts/{year}.jwt", headers=auth_headers(create_member())).status_code == 404
    assert client.get(f"/api/v1/me/transcripts/{year}.jwt").status_code == 401


def test_a_certificate_states_the_hours_credited_not_the_events(client, app, create_member, create_event,
                                                                 create_booking, create_staff, auth_headers):
    # A one-hour session's attendee is credited 1 h of an 8 h conference; an event crediting nothing
    # states no hours.
    from cpd.records.models import CpdRecord

    member, staff = create_member(), auth_headers(create_staff())
    conference = create_event(title="Annual conference", starts_at=utcnow() - timedelta(days=5), cpd_hours=8)
    social = create_event(title="Members' evening", starts_at=utcnow() - timedelta(days=4), cpd_hours=0)
    for event in (conference, social):
        booking = create_booking(member, event)
        assert client.put(f"/api/v1/events/{event.id}/attendance", headers=staff,
                          json={"attended": [booking]}).status_code == 200
    with app.app_context():
        db.session.execute(sa.update(CpdRecord).where(CpdRecord.source_event_id == conference.id).values(hours=1))
        db.session.commit()
    found = {c["name"]: c for c in client.get("/api/v1/me/credentials", headers=auth_headers(member)).get_json()["items"]}
    assert found["Certificate of attendance: Annual conference"]["cpd_hours"] == 1.0
    assert found["Certificate of attendance: Members' evening"]["cpd_hours"] is None


def test_the_certificate_carries_the_verify_url_and_is_its_owners(client, attended, auth_headers, create_member):
    member, _, _ = attended
    credential = credentials_of(client, auth_headers(member))["attendance"]
    pdf = client.get(f"/api/v1/credentials/{credential['id']}/certificate.pdf", headers=auth_headers(member))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Ada Lovelace" in text and "Vibration analysis" in text and "6.00 hours of CPD credited" in text
    assert credential["verify_url"] in text.replace("\n", "")
    assert client.get(f"/api/v1/credentials/{credential['id']}/certificate.pdf",
                      headers=auth_headers(create_member())).status_code == 404
    for url in ("/api/v1/credentials/nope.jwt", "/api/v1/credentials/nope/verify", "/credentials/nope"):
        assert client.get(url).status_code == 404


@pytest.mark.filterwarnings("ignore:EdDSA is deprecated")
def test_a_rotated_key_keeps_earlier_tokens_verifiable_eddsa_among_them(client, app, attended, auth_headers):
    # A token an earlier Ed25519 key signed (EdDSA, the bare thumbprint as kid, the vc claim of
    # before) still verifies after RS256: the earlier key stays in the JWKS.
    from joserfc import jws as joserfc_jws
    from joserfc.jwk import OKPKey

    member, _, _ = attended
    credential = credentials_of(client, auth_headers(member))["attendance"]
    old_key = Ed25519PrivateKey.generate()
    old_pem = old_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    with app.app_context():
        current = keys.signing_keys()[0]
        thumbprint = keys.thumbprint_of(old_key)
    current_pem = current.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
    claims = {"iss": "https://cpd.example.org/", "jti": f"https://x/api/v1/credentials/{credential['id']}.jwt",
              "vc": {"id": f"https://x/api/v1/credentials/{credential['id']}.jwt"}}
    earlier = joserfc_jws.serialize_compact({"alg": "EdDSA", "kid": thumbprint}, json.dumps(claims).encode(),
                                            OKPKey.import_key(old_pem), algorithms=["EdDSA"])
    new_pem = new_private_key_pem()
    app.config.update(CREDENTIAL_SIGNING_KEY=new_pem, CREDENTIAL_PREVIOUS_KEYS=current_pem + old_pem)
    try:
        published = published_keys(client)
        assert [k["kty"] for k in published][:3] == ["RSA", "RSA", "OKP"]
        assert published[1]["kid"].endswith("#" + keys.thumbprint_of(current))
        ours = client.post("/api/v1/credential-verifications", json={"jwt": earlier}).get_json()
        assert (ours["signature_valid"], ours["valid"]) == (True, True)
        verify_independently(client, token_of(client, credential))
        with app.app_context():
            assert keys.verification_key(thumbprint) is not None
    finally:
        app.config.update(CREDENTIAL_SIGNING_KEY="", CREDENTIAL_PREVIOUS_KEYS="")


def test_production_refuses_an_ed25519_signing_key(app):
    from cpd import create_app

    ed25519 = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()).decode()
    with pytest.raises(RuntimeError, match="RS256"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 40, "CREDENTIAL_SIGNING_KEY": ed25519})


def test_the_verify_page_names_the_holder_only_when_they_allow_it(client, attended, auth_headers, sign_in):
    member, _, _ = attended
    headers = auth_headers(member)
    credential = credentials_of(client, headers)["attendance"]
    page = f"/credentials/{credential['id']}"
    assert "Ada Lovelace" not in client.get(page).get_data(as_text=True)
    assert client.get(f"/api/v1/credentials/{credential['id']}/verify").get_json()["holder"] is None
    allowed = client.patch("/api/v1/me", headers=headers, json={"name_on_credentials": True})
    assert allowed.status_code == 200 and allowed.get_json()["name_on_credentials"] is True
    assert "Held by" in client.get(page).get_data(as_text=True)
    assert client.get(f"/api/v1/credentials/{credential['id']}/verify").get_json()["holder"] == "Ada Lovelace"
    assert client.patch("/api/v1/me", headers=headers, json={"name_on_credentials": "yes"}).status_code == 422


def test_two_requests_issuing_the_same_credential_keep_one(client, app, attended, auth_headers):
    # Two tabs open My credentials at once: the second to write finds the first's and keeps it.
    from cpd.credentials import issuing
    from cpd.credentials.models import Credential

    member, _, booking_id = attended
    credentials_of(client, auth_headers(member))
    with app.app_context():
        holder = db.session.get(issuing.Member, member.id)
        twin = issuing._new(holder, "attendance", booking_id, name="x", description="", achievement_url="x",
                            started_on=date.today(), ended_on=date.today(), cpd_hours=None)
        issuing._add_at_a_free_position(twin)
        db.session.commit()
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Credential).where(
            Credential.kind == "attendance", Credential.source_id == booking_id))
    assert count == 1
