"""The demo's professional registration: two registered assessors among the members, and
applications standing at every stage, each with its history."""
import random
from datetime import date, timedelta

import sqlalchemy as sa

from cpd.auth import passwords
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import Member, ProfessionalRegistration
from cpd.records.models import CpdRecord
from cpd.registration.frameworks import competence_rows
from cpd.registration.models import Application, ApplicationStatement, ApplicationStep, Assessment, Referee

ASSESSORS = [("assessor1@demo.example.org", "Asha Assessor"), ("assessor2@demo.example.org", "Aled Assessor")]
# Two more registered engineers: a CEng or IEng application's professional review interview needs
# two interviewers who are neither its assessors nor its referees.
INTERVIEWERS = [("interviewer1@demo.example.org", "Ines Interviewer"), ("interviewer2@demo.example.org", "Ivo Interviewer")]
# (status, the steps it went through)
STAGES = [
    ("draft", ["started"]),
    ("submitted", ["started", "submitted"]),
    ("supported", ["started", "submitted", "supported"]),
    ("under_assessment", ["started", "submitted", "supported", "assessors_appointed"]),
    ("assessed", ["started", "submitted", "supported", "assessors_appointed", "one_assessment_in", "assessed"]),
    ("ratified", ["started", "submitted", "supported", "assessors_appointed", "one_assessment_in", "assessed",
                  "ratified"]),
    ("declined", ["started", "submitted", "supported", "assessors_appointed", "one_assessment_in", "assessed",
                  "declined"]),
    ("withdrawn", ["started", "submitted", "withdrawn"]),
]
STATEMENT = ("On the plant upgrade I {what}: I planned the work, checked it against the standard and "
             "recorded what I learned in my CPD log.")


def _assessors(password_hash, policy):
    people = []
    for email, name in ASSESSORS + INTERVIEWERS:
        person = Member(email=email, full_name=name, role="member", grade="fellow", discipline="engineering",
                        cpd_policy=policy, password_hash=password_hash, joined_on=date(2015, 5, 1),
                        grade_since=date(2015, 5, 1))
        person.registrations.append(ProfessionalRegistration(title="CEng", awarded_on=date(2016, 6, 1)))
        db.session.add(person)
        db.session.flush()
        for weeks_ago, (title, activity_type) in enumerate((("Assessor training", "formal_educational"),
                                                            ("Mentoring a graduate engineer", "work_based"),
                                                            ("Reading the new UK-SPEC", "self_directed")), start=2):
            day = utcnow().date() - timedelta(weeks=weeks_ago * 5)
            db.session.add(CpdRecord(member_id=person.id, title=title, activity_type=activity_type, started_on=day,
                                     ended_on=day, hours=3, description="", learning="How others judge evidence",
                                     benefit_to_practice="Fairer assessments", benefit_to_users="", verified=False))
        people.append(person)
    db.session.flush()
    return people


def seed_applications(rng: random.Random, password, policy):
    if db.session.scalar(sa.select(sa.func.count()).select_from(Application)):
        return "registration: already seeded"
    assessors = _assessors(passwords.hash_password(password), policy)[:len(ASSESSORS)]
    codes = [row["code"] for row in competence_rows() if row["title"] == "EngTech"]
    applicants = db.session.scalars(
        sa.select(Member).where(Member.role == "member", Member.grade.is_not(None), Member.discipline == "engineering",
                                Member.email.like("person%"), ~Member.registrations.any())
        .order_by(Member.id).limit(len(STAGES))).all()
    now = utcnow()
    for (status, steps), applicant in zip(STAGES, applicants):
        started = now - timedelta(days=rng.randint(60, 200))
        application = Application(
            member_id=applicant.id, title="EngTech", status=status, created_at=started, updated_at=started,
            qualifications=[{"name": "HNC Electrical Engineering", "awarded_by": "Pearson", "year": 2014}],
            career_history=[{"role": "Maintenance technician", "employer": "Severn Water", "from": "2014-09", "to": "",
                             "summary": "Planned maintenance of pumping stations."}],
            code_of_conduct_accepted_at=None if status == "draft" else started)
        referee_status = {"draft": "named", "submitted": "asked", "withdrawn": "named"}.get(status, "confirmed")
        application.referees = [Referee(name="Jo Manager", email=f"manager.{applicant.id}@example.org", position=0,
                                        status=referee_status, comment="")]
        application.statements = [ApplicationStatement(code=c, text=STATEMENT.format(what=f"worked on {c}"))
                                  for c in codes]
        for number, step in enumerate(steps):
            application.history.append(ApplicationStep(status=status, step=step, at=started + timedelta(days=9 * number)))
        if "submitted" in steps:
            application.submitted_at = started + timedelta(days=9)
        if "assessors_appointed" in steps:
            for person in assessors:
                done = "assessed" in steps or (person is assessors[0] and "one_assessment_in" in steps)
                application.assessors.append(Assessment(
                    assessor_id=person.id, competences={c: "not_met" if status == "declined" and c == codes[0] else "met"
                                                        for c in codes} if done else {},
                    comment="Clear, specific evidence." if done else "",
                    recommendation=("register" if status != "declined" else "not_yet") if done else None,
                    assessed_at=started + timedelta(days=40) if done else None))
        if status in ("ratified", "declined"):
            application.decided_at = started + timedelta(days=9 * len(steps))
            if status == "ratified":
                applicant.registrations.append(ProfessionalRegistration(
                    title="EngTech", awarded_on=application.decided_at.date()))
        db.session.add(application)
    db.session.flush()
    return (f"registration: {len(applicants)} EngTech applications at every stage; assessors "
            f"{ASSESSORS[0][0]} and {ASSESSORS[1][0]}, interviewers {INTERVIEWERS[0][0]} and "
            f"{INTERVIEWERS[1][0]}, hold CEng")
