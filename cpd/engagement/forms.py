from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, Length, Optional

from cpd.web.forms import choices
from cpd.engagement.vocabulary import ENGAGEMENT_KINDS, ENGAGEMENT_TOPICS, SUPPORTER_KINDS
from cpd.core.limits import LONG_TITLE, NAME, NOTES


class EngagementForm(FlaskForm):
    kind = SelectField("With", choices=choices(ENGAGEMENT_KINDS, blank=None))
    organisation = StringField("Organisation", validators=[DataRequired(), Length(max=NAME.high)])
    title = StringField("What happened", validators=[DataRequired(), Length(max=LONG_TITLE.high)],
                        description="A meeting, a consultation response, a visit…")
    happened_on = DateField("On", validators=[DataRequired()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=NOTES.high)])
    topics = SelectMultipleField("What it was about", choices=choices(ENGAGEMENT_TOPICS, blank=None),
                                 option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
                                 description="The figures count engagement with government by topic.")


class SupporterForm(FlaskForm):
    name = StringField("Organisation", validators=[DataRequired(), Length(max=NAME.high)])
    kind = SelectField("Kind", choices=choices(SUPPORTER_KINDS, blank=None))
    since = DateField("Supporter since", validators=[DataRequired()])
    until = DateField("Until", validators=[Optional()], description="Blank while they support the body.")
