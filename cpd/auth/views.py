"""Sign up, sign in and sign out pages."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from cpd.auth import services
from cpd.auth.forms import SignInForm, SignOutForm, SignUpForm
from cpd.auth.limits import (
    account_lockout_limit,
    attempted_account,
    failed_sign_in,
    note_failed_sign_in,
    register_limit,
    sign_in_limit,
)
from cpd.core import audit
from cpd.core.errors import DomainError
from cpd.core.forms import attach_errors, blank_to_none
from cpd.extensions import db, limiter

bp = Blueprint("auth", __name__)


def safe_next(target):
    """Only a path on this site: never an absolute or protocol-relative URL (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(register_limit, methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            member = services.create_account(
                email=form.email.data,
                full_name=form.full_name.data,
                password=form.password.data,
                discipline=blank_to_none(form.discipline.data),
                sector=blank_to_none(form.sector.data),
                career_stage=blank_to_none(form.career_stage.data),
            )
        except DomainError as error:
            db.session.rollback()
            attach_errors(form, error)
        else:
            db.session.commit()
            login_user(member)
            flash("Welcome! Your account is ready.", "success")
            return redirect(url_for("home.index"))
    status = 422 if form.errors else 200
    return render_template("auth/signup.html", form=form), status


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"], deduct_when=failed_sign_in)
@limiter.limit(account_lockout_limit, methods=["POST"], key_func=attempted_account, deduct_when=failed_sign_in,
               error_message="Too many failed sign-ins for this account: try again later.")
def signin():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        member = services.authenticate(form.email.data, form.password.data)
        if member is None:
            note_failed_sign_in()
            audit.record(None, "sign_in_failed", via="page", email=(form.email.data or "")[:254])
            db.session.commit()
            form.password.errors = ["Wrong email or password."]
        else:
            audit.record(member, "sign_in", "member", member.id, via="page")
            db.session.commit()  # with a password rehash, if the scheme's settings changed
            login_user(member)
            return redirect(safe_next(form.next.data) or url_for("home.index"))
    status = 422 if form.errors else 200
    return render_template("auth/signin.html", form=form), status


@bp.route("/signout", methods=["POST"])
@login_required
def signout():
    form = SignOutForm()
    if form.validate_on_submit():
        logout_user()
        flash("You are signed out.", "success")
    return redirect(url_for("home.index"))
