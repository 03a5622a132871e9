from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, DecimalField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from cpd.web.forms import choices
from cpd.members.vocabulary import AREAS_OF_PRACTICE, label
from cpd.records.vocabulary import ACTIVITY_TYPES, COMPETENCE_CODES, OBJECTIVE_STATUSES, TOPICS
from cpd.core.limits import RECORD_HOURS, TITLE

LONG = 10_000


class CpdRecordForm(FlaskForm):
    title = StringField("What did you do?", validators=[DataRequired(), Length(max=TITLE.high)])
    activity_type = SelectField("Type of activity", choices=choices(ACTIVITY_TYPES, blank=None))
    started_on = DateField("Started on", validators=[DataRequired()])
    ended_on = DateField("Ended on", validators=[Optional()], description="Leave empty for a single day.")
    hours = DecimalField("Hours", places=2, validators=[DataRequired(), NumberRange(min=0.01, max=RECORD_HOURS.high)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=LONG)])
    learning = TextAreaField("What I learned", validators=[Optional(), Length(max=LONG)])
    benefit_to_practice = TextAreaField("How it benefits my practice", validators=[Optional(), Length(max=LONG)])
    benefit_to_users = TextAreaField(
        "How it benefits the users of my work", validators=[Optional(), Length(max=LONG)]
    )
    formal = BooleanField("Formal learning: structured, with learning outcomes (a course, a certified programme)")
    verifiable = BooleanField("Verifiable: I can show evidence that I did it (attach it to the record)")
    topics = SelectMultipleField("Topics", choices=choices(TOPICS, blank=None), option_widget=CheckboxInput(),
                                 widget=ListWidget(prefix_label=False),
                                 description="Some policies ask for hours on a topic (risk management, ethics...).")
    practice_areas = SelectMultipleField("Which of my areas of practice it relates to", choices=[],
                                         option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
                                         description="Where you practise in more than one area, tick each it "
                                                     "counts for (the same hours may count for several).")
    competences = SelectMultipleField("Competences it evidences", choices=choices({c: c for c in COMPETENCE_CODES}, blank=None),
                                      description="For a registration application: the framework's competence codes.")
    objective_id = SelectField("Objective in my development plan", coerce=str, validate_choice=False)

    def set_objectives(self, objectives):
        self.objective_id.choices = choices({str(o.id): o.title for o in objectives}, blank="None")

    def set_practice_areas(self, codes):
        """The member's own areas of practice (and any the record already names) to tick."""
        self.practice_areas.choices = choices({code: label(AREAS_OF_PRACTICE, code) for code in codes}, blank=None)


class EvidenceForm(FlaskForm):
    file = FileField(
        "Evidence file",
        validators=[FileRequired("Choose a file to upload.")],
        description="A certificate, notes or slides: PDF, PNG, JPEG, plain text or Word (DOCX), up to 10 MB.",
    )


class ObjectiveForm(FlaskForm):
    title = StringField("Objective", validators=[DataRequired(), Length(max=TITLE.high)])
    why = TextAreaField("Why it matters", validators=[Optional(), Length(max=LONG)])
    target_date = DateField("Target date", validators=[Optional()])
    status = SelectField("Status", choices=choices(OBJECTIVE_STATUSES, blank=None))


class SummaryForm(FlaskForm):
    class Meta:
        csrf = False

    policy = SelectField("Policy", validators=[Optional()], validate_choice=False)
    as_of = DateField("As of", validators=[Optional()])


class RecordFilterForm(FlaskForm):
    class Meta:
        csrf = False

    year = SelectField("Year", validators=[Optional()], validate_choice=False)
    activity_type = SelectField(
        "Type of activity", choices=choices(ACTIVITY_TYPES, blank="All types"), validators=[Optional()]
    )
