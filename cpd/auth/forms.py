from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from cpd.auth.passwords import MAX_LENGTH, MIN_LENGTH
from cpd.core.forms import choices
from cpd.members.vocabulary import CAREER_STAGES, DISCIPLINES, SECTORS


class SignUpForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=f"At least {MIN_LENGTH} characters.",
    )
    confirm = PasswordField(
        "Password again", validators=[DataRequired(), EqualTo("password", "The passwords differ.")]
    )
    discipline = SelectField("Discipline", choices=choices(DISCIPLINES))
    sector = SelectField("Sector", choices=choices(SECTORS))
    career_stage = SelectField("Career stage", choices=choices(CAREER_STAGES))


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class SignOutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST, so another site cannot sign you out."""
