"""The demo seed. Each part checks whether it has run already, so a second run changes nothing."""
import random
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from cpd.auth import passwords
from cpd.extensions import db
from cpd.members.models import Member, ProfessionalRegistration
from cpd.members.vocabulary import CAREER_STAGES, DISCIPLINES, GRADES, SECTORS
from cpd.records.shipped_policies import SHIPPED_POLICY_CODES

DEMO_PASSWORD = "demo-password"
DEMO_DOMAIN = "demo.example.org"
STAFF_EMAIL = f"staff@{DEMO_DOMAIN}"
MEMBER_EMAIL = f"member@{DEMO_DOMAIN}"

FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Efua", "Finn", "Grace", "Hamza", "Isla", "Jamal", "Kate",
    "Leo", "Maya", "Niamh", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Xavier", "Yusuf", "Zara", "Aoife", "Bilal", "Carys", "Dmitri",
]
LAST_NAMES = [
    "Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fraser", "Gupta", "Hughes", "Ibrahim",
    "Jones", "Khan", "Lewis", "Morgan", "Nowak", "O'Brien", "Patel", "Quayle", "Roberts",
    "Singh", "Taylor", "Usman", "Vaughan", "Walsh", "Xu", "Young", "Zielinski",
]
TITLES_BY_DISCIPLINE = {
    "science": ["RSciTech", "RSci", "CSci"],
    "engineering": ["EngTech", "IEng", "CEng"],
    "digital": ["ICTTech", "RegisteredPractitioner"],
    "creative_industry": ["RegisteredPractitioner"],
}
MEMBER_COUNT = 120


def seed_all():
    rng = random.Random(20261122)
    report = [seed_members(rng)]
    db.session.commit()
    return report


def _exists(email):
    return db.session.scalar(sa.select(sa.func.count()).where(Member.email == email)) > 0


def seed_members(rng):
    if _exists(STAFF_EMAIL):
        return "members: already seeded"
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    default_policy = current_app.config["DEFAULT_CPD_POLICY"]
    db.session.add_all(
        [
            Member(email=STAFF_EMAIL, full_name="Sally Staff", role="staff", password_hash=password_hash,
                   cpd_policy=default_policy),
            Member(email=MEMBER_EMAIL, full_name="Morgan Member", role="member", grade="member",
                   discipline="engineering", sector="industry", career_stage="specialist",
                   cpd_policy="iet", password_hash=password_hash),
        ]
    )
    grades = [None, *GRADES]  # some individuals are not (yet) members of the body
    stages = list(CAREER_STAGES)
    disciplines = list(DISCIPLINES)
    today = date.today()
    for number in range(MEMBER_COUNT):
        discipline = disciplines[number % len(disciplines)]
        grade = grades[number % len(grades)] if number % 7 else None
        member = Member(
            email=f"person{number + 1:03d}@{DEMO_DOMAIN}",
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            role="member",
            grade=grade,
            is_ambassador=grade in ("member", "fellow") and rng.random() < 0.2,
            discipline=discipline,
            sector=rng.choice(list(SECTORS)),
            career_stage=stages[number % len(stages)],
            cpd_policy=rng.choice(SHIPPED_POLICY_CODES),
            password_hash=password_hash,
        )
        db.session.add(member)
        if grade in ("member", "fellow") and rng.random() < 0.5:
            member.registrations.append(
                ProfessionalRegistration(
                    title=rng.choice(TITLES_BY_DISCIPLINE[discipline]),
                    awarded_on=today - timedelta(days=rng.randint(10, 3000)),
                )
            )
    db.session.flush()
    return (
        f"members: {MEMBER_COUNT + 2} accounts; sign in as {STAFF_EMAIL} (staff) or "
        f"{MEMBER_EMAIL} (member), password {DEMO_PASSWORD!r}"
    )
