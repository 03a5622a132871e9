"""Credentials: a certificate and an Open Badges 3.0 VC-JWT for each attended event and each
registration held, checked with an independent JOSE library (jwcrypto) against the published JWKS,
in the OB 3.0 shape; a tampered token fails; marking absent, a lapse and an erasure revoke; the PDF
carries the verify URL; keys rotate without old credentials failing."""
import base64
import hashlib
import io
import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwcrypto import jwk, jws
from pypdf import PdfReader

from cpd.core.models import utcnow
from cpd.credentials import keys
from cpd.extensions import db
from cpd.members.models import ProfessionalRegistration


def verify_independently(client, token):
    """The token's claims if its signature verifies with a key from our JWKS (jwcrypto), else raises."""
    keyset = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").get_data(as_text=True))
    signed = jws.JWS()
    signed.deserialize(token)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    signed.verify(keyset.get_key(header["kid"]), alg="EdDSA")
    return header, json.loads(signed.payload)


@pytest.fixture
def attended(create_member, create_event, create_booking):
    member = create_member(email="Ada.Lovelace@Example.org", full_name="Ada Lovelace",
                           registrations=[("CEng", date(2024, 6, 1))])
    event = create_event(title="Vibration analysis", starts_at=utcnow() - timedelta(days=3), cpd_hours=6)
    booking_id = create_booking(member, event, attended=True)
    return member, event, booking_id


def credentials_of(client, headers):
    return {c["kind"]: c for c in client.get("/api/v1/me/credentials", headers=headers).get_json()["items"]}


def test_each_attended_event_and_registration_has_a_credential(client, attended, auth_headers, create_member):
    member, event, _ = attended
    headers = auth_headers(member)
    found = credentials_of(client, headers)
    assert set(found) == {"attendance", "registration"}
    assert (found["attendance"]["name"], found["attendance"]["revoked"], found["attendance"]["cpd_hours"]) == (
        "Certificate of attendance: Vibration analysis", False, 6.0)
    assert found["registration"]["name"] == "Professional registration: Chartered Engineer (Engineering Council)"
    assert found["attendance"]["verify_url"].endswith(f"/credentials/{found['attendance']['id']}")
    # Listing again issues nothing twice.
    assert credentials_of(client, headers)["attendance"]["id"] == found["attendance"]["id"]
    assert client.get("/api/v1/me/credentials", headers=auth_headers(create_member())).get_json()["total"] == 0


def test_the_jwt_is_an_open_badge_that_an_independent_library_verifies(client, app, attended, auth_headers):
    member, event, _ = attended
    credential = credentials_of(client, auth_headers(member))["attendance"]
    response = client.get(f"/api/v1/credentials/{credential['id']}.jwt")
    assert response.status_code == 200 and response.mimetype == "application/jwt"
    header, claims = verify_independently(client, response.get_data(as_text=True))
    with app.app_context():
        published = {k["kid"] for k in keys.public_jwks()["keys"]}
    assert header["alg"] == "EdDSA" and header["kid"] in published
    vc = claims["vc"]
    assert {"VerifiableCredential", "OpenBadgeCredential"} <= set(vc["type"])
    assert vc["issuer"]["type"] == ["Profile"] and vc["issuer"]["name"] == "Institute of Science & Technology"
    assert vc["validFrom"].endswith("Z") and claims["nbf"] <= claims["iat"] + 1
    subject = vc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == credential["name"]
    assert achievement["criteria"]["narrative"] and achievement["creditsAvailable"] == 6.0
    identity = subject["identifier"][0]
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(
        ("ada.lovelace@example.org" + identity["salt"]).encode()).hexdigest()
    assert "lovelace" not in response.get_data(as_text=True).lower()
    assert vc["credentialStatus"]["id"].endswith(f"/credentials/{credential['id']}/verify")


def test_a_tampered_token_fails(client, attended, auth_headers):
    member, _, _ = attended
    credential = credentials_of(client, auth_headers(member))["attendance"]
    token = client.get(f"/api/v1/credentials/{credential['id']}.jwt").get_data(as_text=True)
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["vc"]["credentialSubject"]["achievement"]["creditsAvailable"] = 60.0
    forged = ".".join([head, base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode(), signature])
    with pytest.raises(Exception):
        verify_independently(client, forged)
    ours = client.post("/api/v1/credential-verifications", json={"jwt": forged}).get_json()
    assert (ours["valid"], ours["signature_valid"]) == (False, False)
    genuine = client.post("/api/v1/credential-verifications", json={"jwt": token}).get_json()
    assert (genuine["valid"], genuine["signature_valid"], genuine["name"]) == (True, True, credential["name"])


def test_marking_absent_a_lapse_and_an_erasure_revoke(client, app, attended, auth_headers, create_staff):
    member, event, booking_id = attended
    staff = auth_headers(create_staff())
    found = credentials_of(client, auth_headers(member))
    attendance, registration = found["attendance"]["id"], found["registration"]["id"]
    assert client.get(f"/api/v1/credentials/{attendance}/verify").get_json()["valid"] is True

    client.put(f"/api/v1/events/{event.id}/attendance", headers=staff, json={"absent": [booking_id]})
    marked = client.get(f"/api/v1/credentials/{attendance}/verify").get_json()
    assert (marked["valid"], marked["revoked"], marked["reason"]) == (False, True, "the attendance is no longer recorded")
    assert client.get(f"/api/v1/credentials/{attendance}.jwt").status_code == 410

    with app.app_context():
        db.session.execute(sa.update(ProfessionalRegistration).values(lapsed_on=utcnow().date()))
        db.session.commit()
    assert client.get(f"/api/v1/credentials/{registration}/verify").get_json()["reason"] == "the registration has lapsed"
    assert credentials_of(client, auth_headers(member))["registration"]["revoked"] is True

    client.post(f"/api/v1/members/{member.id}/erase", headers=staff)
    erased = client.get(f"/api/v1/credentials/{registration}/verify").get_json()
    assert erased["revoked"] is True


def test_the_certificate_carries_the_verify_url_and_is_its_owners(client, attended, auth_headers, create_member):
    member, _, _ = attended
    credential = credentials_of(client, auth_headers(member))["attendance"]
    pdf = client.get(f"/api/v1/credentials/{credential['id']}/certificate.pdf", headers=auth_headers(member))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Ada Lovelace" in text and "Vibration analysis" in text and "6.00 hours of CPD" in text
    assert credential["verify_url"] in text.replace("\n", "")
    assert client.get(f"/api/v1/credentials/{credential['id']}/certificate.pdf",
                      headers=auth_headers(create_member())).status_code == 404
    for url in ("/api/v1/credentials/nope.jwt", "/api/v1/credentials/nope/verify", "/credentials/nope"):
        assert client.get(url).status_code == 404


def test_a_rotated_key_keeps_old_credentials_verifiable(client, app, attended, auth_headers):
    member, _, _ = attended
    credential = credentials_of(client, auth_headers(member))["attendance"]
    old_token = client.get(f"/api/v1/credentials/{credential['id']}.jwt").get_data(as_text=True)
    with app.app_context():
        old_key = keys.signing_keys()[0]
    old_pem = old_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    new_pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()).decode()
    app.config.update(CREDENTIAL_SIGNING_KEY=new_pem, CREDENTIAL_PREVIOUS_KEYS=old_pem)
    try:
        published = client.get("/.well-known/jwks.json").get_json()["keys"]
        assert len(published) == 2 and published[1]["kid"] == keys.kid_of(old_key)
        verify_independently(client, old_token)
        new_header, _ = verify_independently(client, client.get(f"/api/v1/credentials/{credential['id']}.jwt")
                                             .get_data(as_text=True))
        assert new_header["kid"] == published[0]["kid"]
    finally:
        app.config.update(CREDENTIAL_SIGNING_KEY="", CREDENTIAL_PREVIOUS_KEYS="")
