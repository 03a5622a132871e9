from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db

QUESTION_KINDS = {"rating": "A rating from 1 to 5", "text": "An answer in words"}


class Survey(db.Model):
    __tablename__ = "surveys"
    __table_args__ = (sa.CheckConstraint("closes_on >= opens_on", name="closes_after_opening"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    opens_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    closes_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    questions: Mapped[list["SurveyQuestion"]] = relationship(cascade="all, delete-orphan",
                                                             order_by="SurveyQuestion.position")

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on


class SurveyQuestion(db.Model):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    text: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(10), nullable=False)


class SurveyResponse(db.Model):
    """A member's answers to a survey: one each."""

    __tablename__ = "survey_responses"
    __table_args__ = (sa.UniqueConstraint("survey_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    answers: Mapped[list["SurveyAnswer"]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(db.Model):
    __tablename__ = "survey_answers"
    __table_args__ = (sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_one_to_five"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_responses.id", ondelete="CASCADE"),
                                             nullable=False, index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_questions.id", ondelete="CASCADE"),
                                             nullable=False)
    rating: Mapped[int | None] = mapped_column(sa.Integer)
    text: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
