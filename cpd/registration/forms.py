from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cpd.web.forms import choices
from cpd.registration.vocabulary import RECOMMENDATIONS
from cpd.core.limits import COMMENT


class StartForm(FlaskForm):
    title = SelectField("Title", validators=[DataRequired()])


class SupporterForm(FlaskForm):
    decision = RadioField("Do you confirm these statements?",
                          choices=choices({"confirm": "I confirm them", "decline": "I cannot confirm them yet"},
                                          blank=None),
                          validators=[DataRequired("Choose one.")])
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=COMMENT.high)],
                            description="Needed when you cannot confirm: say what the applicant should improve.")


class AssessorsForm(FlaskForm):
    first = SelectField("First assessor", validators=[DataRequired()])
    second = SelectField("Second assessor", validators=[DataRequired()])


class DecisionForm(FlaskForm):
    outcome = RadioField("Decision", choices=choices({"ratified": "Ratify: award the title", "declined": "Decline"},
                                                     blank=None),
                         validators=[DataRequired("Choose one.")])
    comment = TextAreaField("Comment to the applicant", validators=[Optional(), Length(max=COMMENT.high)])


class AssessmentForm(FlaskForm):
    """An assessor's verdict: met or not for each competence (fields made by `assessment_form`; the
    service checks every one is given), a recommendation and a comment."""
    recommendation = RadioField("Recommendation", choices=choices(RECOMMENDATIONS, blank=None),
                                validators=[DataRequired("Choose one.")])
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=COMMENT.high)])

    def results(self):
        return {code: self[f"competence-{code}"].data for code in self.competence_codes}


def assessment_form(competence_codes):
    fields = {"competence_codes": list(competence_codes)}
    for code in fields["competence_codes"]:
        fields[f"competence-{code}"] = RadioField(code, validate_choice=False)
    return type("CompetenceAssessmentForm", (AssessmentForm,), fields)()


class DraftForm(FlaskForm):
    """The applicant's draft: a statement per competence of the title (fields made by `draft_form`),
    the supporter, and the CPD records offered as evidence (the service checks they are the
    applicant's own and every length)."""
    supporter_name = StringField("Supporter's name")
    supporter_email = StringField("Supporter's email")
    record_ids = SelectMultipleField("CPD records as evidence", coerce=int, validate_choice=False)

    def changes(self):
        """What `applications.update_draft` takes."""
        changes = {"statements": {code: self[f"statement-{code}"].data or "" for code in self.competence_codes},
                   "record_ids": self.record_ids.data or []}
        if self.supporter_name.data or self.supporter_email.data:
            changes["supporter"] = {"name": self.supporter_name.data or "", "email": self.supporter_email.data or ""}
        return changes


def draft_form(competence_codes):
    fields = {"competence_codes": list(competence_codes)}
    for code in fields["competence_codes"]:
        fields[f"statement-{code}"] = TextAreaField(code)  # its length is the service's rule
    return type("ApplicationDraftForm", (DraftForm,), fields)()
