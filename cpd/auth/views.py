"""Account pages: sign up, sign in and out, a forgotten password, and (signed in) changing the
password or email, signing out everywhere and two-factor sign-in."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from cpd.auth import links, services, two_factor
from cpd.auth.api import RESET_REQUESTED, WRONG_CREDENTIALS
from cpd.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    ResetPasswordForm,
    SignInForm,
    SignOutForm,
    SignUpForm,
    TwoFactorCodeForm,
)
from cpd.auth.limits import (
    account_lockout_limit,
    attempted_account,
    conflicting_sign_up,
    failed_sign_in,
    note_failed_sign_in,
    note_sign_up_conflict,
    register_conflict_limit,
    register_limit,
    reset_account_limit,
    reset_limit,
    sign_in_limit,
)
from cpd.core import audit
from cpd.core.errors import Conflict, DomainError
from cpd.web.forms import attach_errors, blank_to_none, commit_change
from cpd.web.redirects import safe_next
from cpd.extensions import db, limiter
from cpd.members import policy_catalogue

bp = Blueprint("auth", __name__)

# What a staff member who must turn on two-factor sign-in may still reach.
ENROLMENT_ENDPOINTS = {"auth.two_factor_page", "auth.signout", "static", "health.healthz", "health.readyz"}


def start_session(member):
    """A fresh session for a sign-in: nothing from before it is carried over (no fixation)."""
    session.clear()
    login_user(member)


def _leave(message):
    """This browser's session ends (the server side was ended by the caller), with a word why."""
    logout_user()
    session.clear()
    flash(message, "success")


@bp.before_app_request
def send_staff_to_enrolment():
    if request.path.startswith("/api/") or request.endpoint in ENROLMENT_ENDPOINTS:
        return None
    if current_user.is_authenticated and two_factor.needs_enrolment(current_user):
        flash("Staff accounts need two-factor sign-in: set it up to go on.", "info")
        return redirect(url_for("auth.two_factor_page"))
    return None


@bp.route("/signup", methods=["GET", "POST"])
@limiter.shared_limit(register_limit, scope="sign_up", methods=["POST"])
@limiter.shared_limit(register_conflict_limit, scope="sign_up_conflict", methods=["POST"],
                      deduct_when=conflicting_sign_up)
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
                cpd_policy=form.cpd_policy.data,
            )
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, Conflict):
                note_sign_up_conflict()
            attach_errors(form, error)
        else:
            db.session.commit()
            start_session(member)
            flash("Welcome! Your account is ready.", "success")
            return redirect(url_for("home.index"))
    status = 422 if form.errors else 200
    return render_template("auth/signup.html", form=form, policy_lines=policy_catalogue.policy_one_liners()), status


@bp.route("/signin", methods=["GET", "POST"])
@limiter.shared_limit(sign_in_limit, scope="sign_in", methods=["POST"], deduct_when=failed_sign_in)
@limiter.shared_limit(account_lockout_limit, scope="sign_in_account", methods=["POST"], key_func=attempted_account,
                      deduct_when=failed_sign_in,
                      error_message="Too many failed sign-ins for this account: try again later.")
def signin():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        member = services.authenticate(form.email.data, form.password.data, form.code.data)
        if member is None:
            db.session.rollback()
            note_failed_sign_in()
            audit.record(None, "sign_in_failed", via="page", email=audit.typed_email(form.email.data))
            db.session.commit()
            form.password.errors = [WRONG_CREDENTIALS]
        elif services.password_refusal(member):
            db.session.rollback()
            form.password.errors = [services.password_refusal(member)]
        else:
            audit.record(member, "sign_in", "member", member.id, via="page")
            db.session.commit()  # with a password rehash, if the scheme's settings changed
            start_session(member)
            return redirect(safe_next(form.next.data) or url_for("home.index"))
    status = 422 if form.errors else 200
    return render_template("auth/signin.html", form=form), status


@bp.route("/signout", methods=["POST"])
@login_required
def signout():
    form = SignOutForm()
    if form.validate_on_submit():
        services.end_page_sessions(current_user)
        db.session.commit()
        _leave("You are signed out.")
    return redirect(url_for("home.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.shared_limit(reset_limit, scope="password_reset", methods=["POST"])
@limiter.shared_limit(reset_account_limit, scope="password_reset_account", methods=["POST"],
                      key_func=attempted_account)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        links.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("auth/reset_requested.html", message=RESET_REQUESTED)
    return render_template("auth/forgot_password.html", form=form), 422 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.shared_limit(reset_limit, scope="password_reset", methods=["POST"])
def reset_password(token):
    try:
        links.find_link(token, links.PASSWORD_RESET)
    except DomainError as error:
        return render_template("auth/link_refused.html", message=error.message), error.status_code
    form = ResetPasswordForm()
    if form.validate_on_submit():
        done, _ = commit_change(lambda: links.reset_password(token, form.password.data), form)
        if done:
            _leave("Your password is changed and every session of your account has ended. "
                   "Sign in with the new password.")
            return redirect(url_for("auth.signin"))
    return render_template("auth/reset_password.html", form=form), 422 if form.errors else 200


@bp.route("/confirm-email/<token>")
def confirm_email(token):
    try:
        member = links.confirm_email_change(token)
    except DomainError as error:
        db.session.rollback()
        return render_template("auth/link_refused.html", message=error.message), error.status_code
    db.session.commit()
    flash(f"Your email address is now {member.email}.", "success")
    return redirect(url_for("members.profile") if current_user.is_authenticated else url_for("auth.signin"))


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        member = current_user._get_current_object()
        done, _ = commit_change(
            lambda: services.change_password(member, form.current_password.data, form.new_password.data), form)
        if done:
            start_session(member)  # this session goes on under the new generation; the others end
            flash("Your password is changed. Every other session and API token of your account has ended.",
                  "success")
            return redirect(url_for("members.profile"))
    return render_template("auth/change_password.html", form=form), 422 if form.errors else 200


@bp.route("/profile/email", methods=["GET", "POST"])
@login_required
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        done, _ = commit_change(
            lambda: links.request_email_change(current_user, form.email.data, form.password.data), form)
        if done:
            flash(f"We have sent a link to {form.email.data.strip()}: your address changes when you follow it.",
                  "success")
            return redirect(url_for("members.profile"))
    return render_template("auth/change_email.html", form=form), 422 if form.errors else 200


@bp.route("/profile/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    form = SignOutForm()
    if form.validate_on_submit():
        services.end_sessions(current_user)
        audit.record(current_user, "signed_out_everywhere", "member", current_user.id)
        db.session.commit()
        _leave("You are signed out on every device, and your API tokens no longer work.")
    return redirect(url_for("auth.signin"))


@bp.route("/profile/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_page():
    member = current_user._get_current_object()
    form = TwoFactorCodeForm()
    recovery_codes = None
    if member.has_two_factor:
        return render_template("auth/two_factor.html", member=member, form=form, enrolment=None,
                               required=two_factor.is_required_for(member),
                               codes_left=two_factor.recovery_codes_left(member))
    if form.validate_on_submit():
        done, recovery_codes = commit_change(lambda: services.turn_on_two_factor(member, form.code.data), form)
        if done:
            login_user(member)  # this browser stays signed in; every other session has ended
            return render_template("auth/recovery_codes.html", codes=recovery_codes)
    elif not member.totp_secret:
        two_factor.begin_enrolment(member)
        db.session.commit()
    return render_template("auth/two_factor.html", member=member, form=form,
                           enrolment=two_factor.enrolment_details(member),
                           required=two_factor.is_required_for(member)), 422 if form.errors else 200


@bp.route("/profile/two-factor/off", methods=["POST"])
@login_required
def two_factor_off():
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        done, _ = commit_change(lambda: two_factor.turn_off_with_code(current_user, form.code.data))
        if done:
            flash("Two-factor sign-in is off.", "success")
    else:
        flash("Type a current code from your app to turn two-factor sign-in off.", "error")
    return redirect(url_for("auth.two_factor_page"))
