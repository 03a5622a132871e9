from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from cpd.web.forms import choices
from cpd.revalidation.vocabulary import OUTCOMES
from cpd.core.limits import COMMENT


class DeclarationForm(FlaskForm):
    meets_standards = BooleanField("I declare that I meet the CPD standards for my registration this year")
    statement = TextAreaField("Statement", validators=[Optional(), Length(max=COMMENT.high)],
                              description="A few words on your CPD this year (optional).")


class DeferralForm(FlaskForm):
    reason = TextAreaField("Why you need a deferral", validators=[DataRequired(), Length(max=COMMENT.high)])


class DrawForm(FlaskForm):
    sample_percent = DecimalField("Sample (% of the eligible registrants)", places=1,
                                  validators=[DataRequired(), NumberRange(0.1, 100)])
    seed = IntegerField("Seed", validators=[DataRequired(), NumberRange(0, 2**62 - 1)],
                        description="Any whole number: the same seed draws the same people, so the draw can be checked.")


class OutcomeForm(FlaskForm):
    outcome = RadioField("Outcome", choices=choices(OUTCOMES, blank=None), validators=[DataRequired("Choose one.")])
    no_response = BooleanField("Not met because no profile was sent by the due date (no response)")
    comment = TextAreaField("Comment to the member", validators=[Optional(), Length(max=COMMENT.high)])


class CaseAppealForm(FlaskForm):
    grounds = TextAreaField("Your grounds for appeal", validators=[DataRequired("Say on what grounds you appeal."),
                                                                  Length(max=10_000)])
