"""Credentials in the API: mine, the certificate PDF, the Open Badges 3.0 JWT, and verification for anyone."""
from flask import Response

from cpd.web.current import public, require_actor
from cpd.core.api import Blueprint, documents_errors, file_response
from cpd.core.pagination import PageArgsSchema
from cpd.credentials import badges, issuing
from cpd.credentials.certificate import certificate_pdf
from cpd.credentials.schemas import CredentialListSchema, CredentialTokenSchema, CredentialTokenVerificationSchema, VerificationSchema
from cpd.extensions import db

blp = Blueprint("api_credentials", __name__, description="Certificates and Open Badges 3.0 credentials")
# VC JOSE COSE's media type for a credential secured as a JWT (the status list, a transcript); the
# credential itself keeps application/jwt, as it always answered.
VC_JWT = "application/vc+jwt"


@blp.route("/me/credentials")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, CredentialListSchema)
@documents_errors(blp, 401, 422)
def my_credentials(args):
    """My credentials: one per event attended and per registration held"""
    page = issuing.own_credentials(require_actor(), args["page"], args["per_page"])
    db.session.commit()
    return page


@blp.route("/credentials/<credential_id>/certificate.pdf")
@blp.doc(responses={"200": file_response("the certificate", "application/pdf")})
@documents_errors(blp, 401, 404)
def certificate(credential_id):
    """My certificate as a PDF, with its verify URL and QR code"""
    member = require_actor()
    credential = issuing.get_own(member, credential_id)
    return Response(certificate_pdf(credential, member.full_name), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="certificate-{credential.id}.pdf"'})


@blp.route("/credentials/<credential_id>.jwt")
@public
@blp.doc(responses={"200": file_response("the OpenBadgeCredential as a VC-JWT (compact JWS, RS256)",
                                         "application/jwt")})
@documents_errors(blp, 404, 410)
def credential_jwt(credential_id):
    """The Open Badges 3.0 credential, signed (for its holder and anyone they give the link); 410 once
    revoked or its holder erased: a revoked credential is never signed afresh (its verify page says why)"""
    credential = issuing.get_credential(credential_id)
    issuing.refuse_if_revoked(credential)
    token = badges.signed_jwt(credential, credential.holder)
    db.session.commit()  # the holder's subject id, given on first use
    return Response(token, mimetype="application/jwt")


@blp.route("/status-lists/<int:number>.jwt")
@public
@blp.doc(responses={"200": file_response("a BitstringStatusListCredential (revocation) as a VC-JWT, RS256",
                                         VC_JWT)})
@documents_errors(blp, 404)
def status_list(number):
    """A status list of our credentials (Bitstring Status List v1.0): the bit at a credential's
    statusListIndex is set once it is revoked"""
    issuing.check_status_list(number)
    response = Response(badges.signed_status_list(number), mimetype=VC_JWT)
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@blp.route("/me/transcripts/<int:year>.jwt")
@blp.doc(responses={"200": file_response("a CLR 2.0 ClrCredential as a VC-JWT, RS256", VC_JWT)})
@documents_errors(blp, 401, 404)
def transcript(year):
    """My transcript for a year: a CLR 2.0 ClrCredential bundling the year's credentials that hold"""
    member = require_actor()
    credentials = issuing.transcript_credentials(member, year)
    token = badges.signed_transcript(member, year, credentials)
    db.session.commit()
    return Response(token, mimetype=VC_JWT,
                    headers={"Content-Disposition": f'attachment; filename="transcript-{year}.jwt"'})


@blp.route("/credentials/<credential_id>/verify")
@public
@blp.response(200, VerificationSchema)
@documents_errors(blp, 404)
def verify(credential_id):
    """Whether a credential holds: valid, or revoked and why"""
    credential = issuing.get_credential(credential_id)
    issuing.settle(credential)
    db.session.commit()
    return badges.status(credential)


@blp.route("/credential-verifications", methods=["POST"])
@public
@blp.arguments(CredentialTokenSchema)
@blp.response(200, CredentialTokenVerificationSchema)
@documents_errors(blp, 422)
def verify_token(values):
    """Check a credential JWT: our signature, and whether what it certifies still holds"""
    claims, problem = badges.check_jwt(values["jwt"])
    if claims is None:
        return {"valid": False, "revoked": False, "signature_valid": False, "problem": problem}
    credential = db.session.get(issuing.Credential, badges.credential_id_of(claims))
    if credential is None:
        return {"valid": False, "revoked": False, "signature_valid": True, "problem": "no such credential"}
    return {**badges.status(credential), "signature_valid": True, "problem": None}
