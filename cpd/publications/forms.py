from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from cpd.web.forms import choices
from cpd.publications.vocabulary import PUBLICATION_KINDS


class PublicationForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    kind = SelectField("Kind", choices=choices(PUBLICATION_KINDS, blank=None))
    published_on = DateField("Published on", validators=[DataRequired()])
    url = StringField("Web address", validators=[Optional(), Length(max=500)], description="Starting https://")
    cpd_hours = DecimalField("CPD hours a reading is worth", places=2, validators=[Optional(), NumberRange(0.01, 100)])
