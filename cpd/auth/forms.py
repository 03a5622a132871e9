from flask import current_app
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from cpd.auth.passwords import MIN_LENGTH
from cpd.web.forms import choices
from cpd.members.vocabulary import CAREER_STAGES, DISCIPLINES, SECTORS
from cpd.members.policy_catalogue import policy_names
from cpd.core.limits import CODE, EMAIL, NAME, PASSWORD_INPUT

NEW_PASSWORD_HINT = (f"At least {MIN_LENGTH} characters; a few unrelated words together are strong and easy to "
                     "remember. Commonly used passwords are refused.")


def new_password_field(label="Password"):
    return PasswordField(label, validators=[DataRequired(), Length(max=PASSWORD_INPUT.high)], description=NEW_PASSWORD_HINT)


def repeat_field(of):
    return PasswordField("Password again", validators=[DataRequired(), EqualTo(of, "The passwords differ.")])


class SignUpForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=NAME.high)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=EMAIL.high)])
    password = new_password_field()
    confirm = repeat_field("password")
    discipline = SelectField("Discipline", choices=choices(DISCIPLINES))
    sector = SelectField("Sector", choices=choices(SECTORS))
    career_stage = SelectField("Career stage", choices=choices(CAREER_STAGES))
    cpd_policy = RadioField("The CPD policy I follow", validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = current_app.config["DEFAULT_CPD_POLICY"]
        names = policy_names()
        # The default first, named as the choice for anyone not sure.
        ordered = {default: f"Not sure: {names[default]}"} if default in names else {}
        self.cpd_policy.choices = choices({**ordered, **{c: n for c, n in names.items() if c != default}}, blank=None)
        if not self.cpd_policy.data:
            self.cpd_policy.data = default


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=EMAIL.high)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_INPUT.high)])
    code = StringField("Authentication code", validators=[Optional(), Length(max=CODE.high)],
                       description="Only if you turned on two-factor sign-in: the 6 digits your app shows, "
                                   "or a recovery code.")
    next = HiddenField()


class SignOutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST, so another site cannot sign you out."""


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=EMAIL.high)])


class ResetPasswordForm(FlaskForm):
    password = new_password_field("New password")
    confirm = repeat_field("password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=PASSWORD_INPUT.high)])
    new_password = new_password_field("New password")
    confirm = repeat_field("new_password")


class ChangeEmailForm(FlaskForm):
    email = EmailField("New email address", validators=[DataRequired(), Length(max=EMAIL.high)])
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=PASSWORD_INPUT.high)])


class TwoFactorCodeForm(FlaskForm):
    code = StringField("Code from your app", validators=[DataRequired(), Length(max=CODE.high)])
