from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from cpd.core.limits import DESCRIPTION, EMAIL, NAME
from cpd.web.forms import choices
from cpd.members.vocabulary import DISCIPLINES


class SigForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME.high)])
    discipline = SelectField("Discipline", choices=choices(DISCIPLINES, blank="Several"))
    description = TextAreaField("Description", validators=[Optional(), Length(max=DESCRIPTION.high)])

class AppointLeadForm(FlaskForm):
    email = EmailField("Member's email", validators=[DataRequired(), Length(max=EMAIL.high)])

class ReachForm(FlaskForm):
    young_people = IntegerField("Young people", validators=[InputRequired(), NumberRange(min=0)])
    parents = IntegerField("Parents", validators=[InputRequired(), NumberRange(min=0)])
    teachers = IntegerField("Teachers", validators=[InputRequired(), NumberRange(min=0)])

__all__ = ["AppointLeadForm", "ReachForm", "SigForm", "StringField"]
