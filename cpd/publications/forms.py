from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from cpd.web.forms import choices
from cpd.publications.vocabulary import PUBLICATION_AUDIENCES, PUBLICATION_KINDS
from cpd.core.limits import LONG_TITLE, WEB_ADDRESS


class PublicationForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=LONG_TITLE.high)])
    kind = SelectField("Kind", choices=choices(PUBLICATION_KINDS, blank=None))
    audience = SelectField("Written for", choices=choices(PUBLICATION_AUDIENCES, blank=None), default="professionals",
                           description="Schools: an education resource, its downloads counted in the figures.")
    published_on = DateField("Published on", validators=[DataRequired()])
    url = StringField("Web address", validators=[Optional(), Length(max=WEB_ADDRESS.high)], description="Starting https://")
    cpd_hours = DecimalField("CPD hours a reading is worth", places=2, validators=[Optional(), NumberRange(0.01, 100)])
