from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from cpd.core.limits import LONG_TITLE

TEXT_MARK = "(text)"


class SurveyForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=LONG_TITLE.high)])
    opens_on = DateField("Opens on", validators=[DataRequired()])
    closes_on = DateField("Closes on", validators=[DataRequired()])
    questions = TextAreaField("Questions", validators=[DataRequired()],
                              description=f"One per line. Each is rated from 1 to 5, unless the line ends with "
                                          f"{TEXT_MARK} for an answer in words.")

    def question_list(self):
        questions = []
        for line in (self.questions.data or "").splitlines():
            line = line.strip()
            if line:
                text = line.removesuffix(TEXT_MARK).strip()
                questions.append({"text": text, "kind": "text" if line.endswith(TEXT_MARK) else "rating"})
        return questions
