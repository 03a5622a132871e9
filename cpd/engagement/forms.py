from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cpd.web.forms import choices
from cpd.engagement.vocabulary import ENGAGEMENT_KINDS, SUPPORTER_KINDS


class EngagementForm(FlaskForm):
    kind = SelectField("With", choices=choices(ENGAGEMENT_KINDS, blank=None))
    organisation = StringField("Organisation", validators=[DataRequired(), Length(max=200)])
    title = StringField("What happened", validators=[DataRequired(), Length(max=300)],
                        description="A meeting, a consultation response, a visit…")
    happened_on = DateField("On", validators=[DataRequired()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=10_000)])


class SupporterForm(FlaskForm):
    name = StringField("Organisation", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=choices(SUPPORTER_KINDS, blank=None))
    since = DateField("Supporter since", validators=[DataRequired()])
    until = DateField("Until", validators=[Optional()], description="Blank while they support the body.")
