from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, Length, Optional

from cpd.core.limits import NAME, SEARCH
from cpd.web.forms import choices
from cpd.members.policy_catalogue import policy_names
from cpd.members.vocabulary import (
    CAREER_STAGES,
    AREAS_OF_PRACTICE,
    DISCIPLINES,
    EQUALITY_QUESTIONS,
    GRADES,
    REGISTRATION_TITLES,
    ROLES,
    SECTORS,
)


class AreasField(SelectMultipleField):
    """Ticked areas of practice, read from the profile's comma-separated codes."""

    def process_data(self, value):
        super().process_data(value.split(",") if isinstance(value, str) else value)


class ProfileForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=NAME.high)])
    discipline = SelectField("Discipline", choices=choices(DISCIPLINES))
    sector = SelectField("Sector", choices=choices(SECTORS))
    career_stage = SelectField("Career stage", choices=choices(CAREER_STAGES))
    cpd_policy = SelectField("CPD policy I follow")
    areas_of_practice = AreasField("Areas of practice", choices=choices(AREAS_OF_PRACTICE, blank=None),
                                   option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
                                   description="Where you practise in more than one, some policies ask for hours "
                                               "in each (Engineers Australia: 50 in each).")
    name_on_credentials = BooleanField("Show my name on the public verify pages of my credentials",
                                       description="Off: a verifier sees what a credential certifies, not whose it is.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cpd_policy.choices = choices(policy_names(), blank=None)


class StaffMemberForm(ProfileForm):
    grade = SelectField("Grade", choices=choices(GRADES, blank="None (not a member of the body)"))
    role = SelectField("Role", choices=choices(ROLES, blank=None))
    is_ambassador = BooleanField("Ambassador")
    grade_since = DateField("Grade takes effect on", validators=[Optional()],
                            description="When the grade changes: the day it took effect (blank: today).")
    joined_on = DateField("Joined the body on", validators=[Optional()])
    left_on = DateField("Left the body on", validators=[Optional()],
                        description="When membership lapses or ends; blank while a member.")


class RegistrationForm(FlaskForm):
    title = SelectField("Registration", choices=choices(REGISTRATION_TITLES, blank=None))
    awarded_on = DateField("Awarded on", validators=[DataRequired()])


class MemberSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Name or email", validators=[Optional(), Length(max=SEARCH.high)])
    role = SelectField("Role", choices=choices(ROLES, blank="Any"), validators=[Optional()])
    grade = SelectField(
        "Grade", choices=choices({**GRADES, "none": "Non-members"}, blank="Any"), validators=[Optional()]
    )
    discipline = SelectField("Discipline", choices=choices(DISCIPLINES, blank="Any"), validators=[Optional()])


class EqualityForm(FlaskForm):
    consent = BooleanField("I consent to the body keeping these answers, to count members in aggregate")
    gender = SelectField("Gender", choices=choices(EQUALITY_QUESTIONS["gender"], blank="Not answered"))
    age_band = SelectField("Age", choices=choices(EQUALITY_QUESTIONS["age_band"], blank="Not answered"))
    ethnicity = SelectField("Ethnic group", choices=choices(EQUALITY_QUESTIONS["ethnicity"], blank="Not answered"))
    disability = SelectField("Do you consider yourself to have a disability?",
                             choices=choices(EQUALITY_QUESTIONS["disability"], blank="Not answered"))
