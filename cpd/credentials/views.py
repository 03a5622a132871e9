"""My credentials, the public verify page, and the issuer's keys (/.well-known/jwks.json)."""
from urllib.parse import urlencode

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required

from cpd.credentials import badges, issuing, keys
from cpd.credentials.certificate import certificate_dates
from cpd.extensions import db

bp = Blueprint("credentials", __name__)


def linkedin_url(credential):
    """LinkedIn's "add a certification" form, filled in."""
    issued = credential.issued_at
    return "https://www.linkedin.com/profile/add?" + urlencode({
        "startTask": "CERTIFICATION_NAME", "name": credential.name, "organizationName": badges.issuer_profile()["name"],
        "issueYear": issued.year, "issueMonth": issued.month, "certUrl": badges.verify_url(credential),
        "certId": credential.id})


@bp.route("/credentials")
@login_required
def my_credentials():
    listing = issuing.own_credentials(current_user)
    db.session.commit()
    years = issuing.transcript_years(listing["items"])
    return render_template("credentials/mine.html", credentials=listing["items"], linkedin=linkedin_url,
                           verify_url=badges.verify_url, years=years, dates=certificate_dates)


@bp.route("/credentials/<credential_id>")
def verify_page(credential_id):
    credential = issuing.get_credential(credential_id)
    issuing.settle(credential)
    db.session.commit()
    return render_template("credentials/verify.html", status=badges.status(credential),
                           jwt_url=badges.credential_url(credential))


@bp.route("/.well-known/jwks.json")
def jwks():
    response = jsonify(keys.public_jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
