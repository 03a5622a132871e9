"""The demo's strategy lines over three years: publications and readings, outside engagement,
technical supporters, a member survey each year, equality answers given with consent, and targets."""
import random
from datetime import date, timedelta

import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.engagement.models import Engagement, EngagementTopic, TechnicalSupporter
from cpd.extensions import db
from cpd.members.models import EqualityAnswers, Member
from cpd.members.vocabulary import EQUALITY_QUESTIONS
from cpd.metrics.models import MeasureTarget
from cpd.publications.models import Publication, PublicationDownload, PublicationRead
from cpd.records.models import CpdRecord
from cpd.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

PUBLICATIONS = [
    ("Technician Journal, spring issue", "journal_issue", 2), ("Technician Journal, autumn issue", "journal_issue", 2),
    ("The state of the technical workforce", "report", 1.5), ("Guidance: keeping a CPD record", "guidance", 1),
    ("Standard for laboratory technicians", "standard", 3), ("Routes to registration explained", "article", 0.5),
]
# Education resources: guidance written for schools, downloaded from the publications page.
SCHOOL_RESOURCES = ["Lesson plan: build a bridge from paper", "Careers in technical roles: a classroom pack",
                    "Practical science without a lab: a teachers' guide"]
ENGAGEMENTS = [
    ("government", "Department for Education", "Technical education round table", ["apprenticeships", "skills"]),
    ("government", "Department for Science, Innovation and Technology", "Response to the skills consultation",
     ["skills", "research_and_innovation"]),
    ("government", "Scottish Government", "Meeting on the technician workforce", ["skills"]),
    ("industry", "National manufacturing trade body", "Joint apprenticeship campaign", ["apprenticeships"]),
    ("education", "Further education colleges network", "Careers talks in colleges", []),
    ("academia", "University technical services group", "Technician commitment workshop", []),
]
SUPPORTERS = [("Northern Research Institute", "university"), ("Acme Precision Engineering", "employer"),
              ("City College", "college"), ("Regional Health Laboratories", "public_body")]
SURVEY_QUESTIONS = [("How well does the body support your development?", "rating"),
                    ("How useful are the events and SIGs to you?", "rating"),
                    ("What should we do more of?", "text")]


def _members(rng):
    return db.session.scalars(sa.select(Member).where(Member.role == "member").order_by(Member.id)).all()


def _seed_publications(rng, members, today):
    reads = 0
    for number, (title, kind, hours) in enumerate(PUBLICATIONS):
        published = today - timedelta(days=900 - 150 * number)
        publication = Publication(title=title, kind=kind, published_on=published, cpd_hours=hours,
                                  url=f"https://publications.example.org/{number + 1}")
        db.session.add(publication)
        db.session.flush()
        for member in rng.sample(members, rng.randint(5, 20)):
            read_on = min(published + timedelta(days=rng.randint(1, 120)), today)
            record = CpdRecord(member_id=member.id, title=f"Read: {title}"[:200], activity_type="self_directed",
                               started_on=read_on, ended_on=read_on, hours=hours, description="", learning="",
                               benefit_to_practice="", benefit_to_users="", verified=False)
            db.session.add(record)
            db.session.flush()
            db.session.add(PublicationRead(publication_id=publication.id, member_id=member.id, read_on=read_on,
                                           record_id=record.id))
            reads += 1
    for number, title in enumerate(SCHOOL_RESOURCES):
        published = today - timedelta(days=700 - 300 * number)
        resource = Publication(title=title, kind="guidance", audience="schools", published_on=published,
                               url=f"https://publications.example.org/schools/{number + 1}")
        db.session.add(resource)
        db.session.flush()
        for day in range(0, (today - published).days, 9):
            db.session.add(PublicationDownload(publication_id=resource.id, downloaded_on=published + timedelta(days=day),
                                               n=rng.randint(1, 12)))
    return reads


def _seed_outside(rng, today):
    for number, (kind, organisation, title, topics) in enumerate(ENGAGEMENTS * 2):
        db.session.add(Engagement(kind=kind, organisation=organisation, title=title,
                                  happened_on=today - timedelta(days=60 + 80 * number + rng.randint(0, 30)),
                                  topic_rows=[EngagementTopic(topic=topic) for topic in topics]))
    for number, (name, kind) in enumerate(SUPPORTERS):
        since = date(today.year - 2 + number // 2, 1 + 3 * number, 1)
        db.session.add(TechnicalSupporter(name=name, kind=kind, since=since,
                                          until=date(today.year - 1, 12, 31) if number == 1 else None))


def _seed_surveys(rng, members, today):
    responses = 0
    for year in (today.year - 2, today.year - 1, today.year):
        opens = date(year, 10, 1) if year < today.year else today - timedelta(days=10)
        survey = Survey(title=f"Members' survey {year}", opens_on=opens, closes_on=opens + timedelta(days=30),
                        questions=[SurveyQuestion(position=n, text=t, kind=k)
                                   for n, (t, k) in enumerate(SURVEY_QUESTIONS, start=1)])
        db.session.add(survey)
        db.session.flush()
        for member in rng.sample(members, rng.randint(15, 35)):
            answered = min(opens + timedelta(days=rng.randint(0, 20)), today)
            response = SurveyResponse(survey_id=survey.id, member_id=member.id, submitted_at=utcnow().replace(
                year=answered.year, month=answered.month, day=answered.day))
            for question in survey.questions:
                response.answers.append(SurveyAnswer(question_id=question.id, rating=rng.choice([3, 4, 4, 5, 5, 2])
                                                     if question.kind == "rating" else None,
                                                     text="" if question.kind == "rating" else "More evening talks"))
            db.session.add(response)
            responses += 1
    return responses


def _seed_equality(rng, members, today):
    answered = 0
    for member in members:
        if rng.random() < 0.6:
            db.session.add(EqualityAnswers(member_id=member.id, recorded_on=today - timedelta(days=rng.randint(0, 700)),
                                           **{q: rng.choice(list(values)) for q, values in EQUALITY_QUESTIONS.items()}))
            answered += 1
    return answered


def seed_strategy_lines(rng: random.Random):
    if db.session.scalar(sa.select(sa.func.count()).select_from(Publication)):
        return "strategy lines: already seeded"
    today = date.today()
    members = _members(rng)
    reads = _seed_publications(rng, members, today)
    _seed_outside(rng, today)
    responses = _seed_surveys(rng, members, today)
    answered = _seed_equality(rng, members, today)
    for year, scale in ((today.year - 1, 1), (today.year, 1.1)):
        for measure, target in (("membership.members", 90), ("training.members_engaged", 60),
                                ("registrations.awarded", 15), ("engagement.government", 4),
                                ("satisfaction.average_rating", 4)):
            db.session.add(MeasureTarget(year=year, measure=measure, target=round(target * scale, 1)))
    db.session.flush()
    return (f"strategy lines: {len(PUBLICATIONS)} publications read {reads} times, {len(ENGAGEMENTS) * 2} engagements, "
            f"{len(SUPPORTERS)} technical supporters, {responses} survey responses, {answered} equality answers")
