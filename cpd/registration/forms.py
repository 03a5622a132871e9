from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cpd.web.forms import choices
from cpd.registration.vocabulary import RECOMMENDATIONS


class StartForm(FlaskForm):
    title = SelectField("Title", validators=[DataRequired()])


class SupporterForm(FlaskForm):
    decision = RadioField("Do you confirm these statements?",
                          choices=choices({"confirm": "I confirm them", "decline": "I cannot confirm them yet"},
                                          blank=None),
                          validators=[DataRequired("Choose one.")])
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=5000)],
                            description="Needed when you cannot confirm: say what the applicant should improve.")


class AssessorsForm(FlaskForm):
    first = SelectField("First assessor", validators=[DataRequired()])
    second = SelectField("Second assessor", validators=[DataRequired()])


class DecisionForm(FlaskForm):
    outcome = RadioField("Decision", choices=choices({"ratified": "Ratify: award the title", "declined": "Decline"},
                                                     blank=None),
                         validators=[DataRequired("Choose one.")])
    comment = TextAreaField("Comment to the applicant", validators=[Optional(), Length(max=5000)])


class AssessmentForm(FlaskForm):
    recommendation = RadioField("Recommendation", choices=choices(RECOMMENDATIONS, blank=None),
                                validators=[DataRequired("Choose one.")])
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=5000)])


class SupporterFields(FlaskForm):
    supporter_name = StringField("Supporter's name", validators=[Optional(), Length(max=200)])
    supporter_email = StringField("Supporter's email", validators=[Optional(), Length(max=254)])
