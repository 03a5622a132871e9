from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, FieldList, Form, FormField, RadioField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, Optional

from cpd.web.forms import choices
from cpd.registration.vocabulary import OUTCOMES, RECOMMENDATIONS, REFEREES_AT_MOST
from cpd.core.limits import COMMENT, NOTES, VENUE, WEB_ADDRESS


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
    outcome = RadioField("Decision", choices=choices(OUTCOMES, blank=None), validators=[DataRequired("Choose one.")])
    comment = TextAreaField("Comment to the applicant", validators=[Optional(), Length(max=COMMENT.high)],
                            description="Needed to decline or refer back: the applicant reads it.")


class InterviewForm(FlaskForm):
    starts_at = DateTimeLocalField("Starts at (local time)", validators=[DataRequired("When it starts.")])
    timezone = StringField("Timezone", default="Europe/London", validators=[DataRequired()])
    venue = StringField("Place", validators=[Optional(), Length(max=VENUE.high)],
                        description="Or an online link below, for an interview held online.")
    online_url = StringField("Online link", validators=[Optional(), Length(max=WEB_ADDRESS.high)])
    first = SelectField("First interviewer", validators=[DataRequired()])
    second = SelectField("Second interviewer", validators=[DataRequired()])

    def details(self):
        return {"starts_at": self.starts_at.data, "timezone": self.timezone.data, "venue": self.venue.data or "",
                "online_url": self.online_url.data or "",
                "interviewer_ids": [int(self.first.data), int(self.second.data)]}


class AppealForm(FlaskForm):
    grounds = TextAreaField("Your grounds for appeal", validators=[DataRequired("Say on what grounds you appeal."),
                                                                  Length(max=NOTES.high)])


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


class RefereeEntry(Form):
    name = StringField("Name")
    email = StringField("Email")


class QualificationEntry(Form):
    name = StringField("Qualification")
    awarded_by = StringField("Awarded by")
    year = StringField("Year")


class RoleEntry(Form):
    role = StringField("Role")
    employer = StringField("Employer")
    began = StringField("From (YYYY-MM)")
    ended = StringField("To (YYYY-MM, empty for now)")
    summary = TextAreaField("What you did")


def _filled(entries):
    return [entry for entry in entries if any((value or "").strip() for value in entry.values())]


class DraftForm(FlaskForm):
    """The applicant's draft: a statement per competence of the title (fields made by `draft_form`),
    referees, qualifications, career history, the code of conduct and the CPD records offered as
    evidence. Rows left empty are dropped; the service checks every value."""
    referees = FieldList(FormField(RefereeEntry), min_entries=2, max_entries=REFEREES_AT_MOST)
    qualifications = FieldList(FormField(QualificationEntry), min_entries=1, max_entries=20)
    career_history = FieldList(FormField(RoleEntry), min_entries=1, max_entries=30)
    code_of_conduct_accepted = BooleanField("I have read the body's code of conduct and accept it")
    record_ids = SelectMultipleField("CPD records as evidence", coerce=int, validate_choice=False)

    def changes(self):
        """What `applications.update_draft` takes."""
        qualifications = []
        for entry in _filled(self.qualifications.data):
            year = (entry["year"] or "").strip()
            qualifications.append({"name": entry["name"], "awarded_by": entry["awarded_by"],
                                   "year": int(year) if year.isdigit() else year})
        return {"statements": {code: self[f"statement-{code}"].data or "" for code in self.competence_codes},
                "referees": _filled(self.referees.data), "qualifications": qualifications,
                "career_history": [{"role": e["role"], "employer": e["employer"], "from": e["began"], "to": e["ended"],
                                    "summary": e["summary"]} for e in _filled(self.career_history.data)],
                "code_of_conduct_accepted": bool(self.code_of_conduct_accepted.data),
                "record_ids": self.record_ids.data or []}


def draft_form(competence_codes, application=None, referees_required=2):
    """The form, filled from the application on a first view (one empty row more of each list)."""
    fields = {"competence_codes": list(competence_codes)}
    for code in fields["competence_codes"]:
        fields[f"statement-{code}"] = TextAreaField(code)  # its length is the service's rule
    form_class = type("ApplicationDraftForm", (DraftForm,), fields)
    if application is None:
        return form_class()
    referees = [{"name": r.name, "email": r.email} for r in application.referees]
    referees += [{}] * max(referees_required - len(referees), 0 if len(referees) >= REFEREES_AT_MOST else 1)
    roles = [{"role": r.get("role"), "employer": r.get("employer"), "began": r.get("from"), "ended": r.get("to"),
              "summary": r.get("summary")} for r in application.career_history]
    return form_class(data={"referees": referees[:REFEREES_AT_MOST],
                            "qualifications": [*application.qualifications, {}],
                            "career_history": [*roles, {}],
                            "code_of_conduct_accepted": application.code_of_conduct_accepted_at is not None})
