"""The demo seed. Each part checks whether it has run already, so a second run changes nothing."""
import random
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from cpd.auth import passwords
from cpd.core.models import utcnow
from cpd.extensions import db
from cpd.members.models import Member, ProfessionalRegistration
from cpd.members.vocabulary import CAREER_STAGES, DISCIPLINES, GRADES, SECTORS
from cpd.records import standings
from cpd.records.models import CpdRecord, Objective
from cpd.records.shipped_policies import SHIPPED_POLICY_CODES
from cpd.demo.registration import seed_applications
from cpd.demo.revalidation import seed_revalidation
from cpd.demo.strategy import seed_strategy_lines

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
LEAD_EMAIL = f"lead@{DEMO_DOMAIN}"
SECOND_STAFF_EMAIL = f"staff2@{DEMO_DOMAIN}"


def seed_all():
    from cpd.events import seats

    rng = random.Random(20261122)
    report = [seed_members(rng), seed_records(rng), seed_events(rng), seed_sigs(rng), seed_strategy_lines(rng),
              seed_applications(rng, DEMO_PASSWORD, current_app.config["DEFAULT_CPD_POLICY"]),
              seed_revalidation(MEMBER_EMAIL, STAFF_EMAIL)]
    # The demo writes past bookings as rows, beside bookings made through the service.
    seats.recount_all()
    db.session.commit()
    # The demo writes CPD records as rows too: every member's standing measured, as the daily round does.
    standings.recompute_everyone(utcnow().date(), replace=True)
    return report


def _exists(email):
    return db.session.scalar(sa.select(sa.func.count()).where(Member.email == email)) > 0


def seed_members(rng):
    if _exists(STAFF_EMAIL):
        return "members: already seeded"
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    default_policy = current_app.config["DEFAULT_CPD_POLICY"]
    today = date.today()
    since = {"joined_on": date(today.year - 2, 3, 1), "grade_since": date(today.year - 2, 3, 1)}
    db.session.add_all(
        [
            Member(email=STAFF_EMAIL, full_name="Sally Staff", role="staff", password_hash=password_hash,
                   cpd_policy=default_policy),
            # A second member of staff: whoever declined an application or found an audit not met
            # does not decide its appeal.
            Member(email=SECOND_STAFF_EMAIL, full_name="Simon Second", role="staff", password_hash=password_hash,
                   cpd_policy=default_policy),
            Member(email=MEMBER_EMAIL, full_name="Morgan Member", role="member", grade="member",
                   discipline="engineering", sector="industry", career_stage="specialist",
                   cpd_policy="iet", password_hash=password_hash, **since),
            Member(email=LEAD_EMAIL, full_name="Lee Lead", role="member", grade="fellow", is_ambassador=True,
                   discipline="science", sector="academia", career_stage="manager",
                   cpd_policy="science_council", password_hash=password_hash, ambassador_since=since["joined_on"],
                   **since),
        ]
    )
    grades = [None, *GRADES]  # some individuals are not (yet) members of the body
    stages = list(CAREER_STAGES)
    disciplines = list(DISCIPLINES)
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
        _give_history(rng, member, today)
        db.session.add(member)
        if grade in ("associate", "member", "fellow") and rng.random() < 0.6:
            member.registrations.append(
                ProfessionalRegistration(
                    title=rng.choice(TITLES_BY_DISCIPLINE[discipline]),
                    awarded_on=today - timedelta(days=rng.randint(10, 1100)),
                )
            )
    db.session.flush()
    return (
        f"members: {MEMBER_COUNT + 4} accounts; sign in as {STAFF_EMAIL} or {SECOND_STAFF_EMAIL} (staff), "
        f"{LEAD_EMAIL} (a SIG lead) "
        f"or {MEMBER_EMAIL} (member), password {DEMO_PASSWORD!r}"
    )


ACTIVITIES = {
    "work_based": [
        ("Shadowed the commissioning of a new production line", "Commissioning checklists", "Fewer snags at handover"),
        ("Led a root-cause analysis of a recurring fault", "Fishbone and 5-whys in practice", "Faster fixes for customers"),
        ("Peer review of a colleague's design calculations", "A second look at load cases", "Safer designs"),
    ],
    "professional_activity": [
        ("Gave a talk at the regional SIG meeting", "Explaining my work to non-specialists", "Better briefings"),
        ("Mentored an apprentice through their portfolio", "How to give useful feedback", "A stronger team"),
        ("Sat on an accreditation panel", "How other labs run quality systems", "Ideas for our audit"),
    ],
    "formal_educational": [
        ("Short course: statistics for experimenters", "Design of experiments", "Fewer wasted runs"),
        ("Workshop: cyber security for engineers", "Threat modelling", "Safer control systems"),
        ("Online module: sustainability in design", "Life-cycle assessment", "Lower-carbon choices for clients"),
    ],
    "self_directed": [
        ("Read the new standard on functional safety", "What changed in SIL assessment", "Up-to-date advice"),
        ("Worked through a Python data analysis book", "pandas for lab data", "Quicker reports"),
        ("Followed a webinar series on AI in engineering", "Where ML helps and where it misleads", "Sound advice to clients"),
    ],
    "other": [
        ("Volunteered at a school science fair", "Explaining science to children", "Inspiring the next generation"),
        ("Visited a trade exhibition", "Suppliers' new materials", "Better specifications"),
    ],
}


def _give_history(rng, member, today):
    """Three years of membership: joined on a day in them, some fellows promoted from member on the
    way, and a few who have since left."""
    from datetime import datetime, time, timezone

    from cpd.members.models import GradePeriod

    joined = today - timedelta(days=rng.randint(60, 1050))
    member.created_at = datetime.combine(joined, time(9), tzinfo=timezone.utc)
    if member.grade is None:
        return
    member.joined_on, member.grade_since = joined, joined
    if member.grade == "fellow" and rng.random() < 0.6:
        promoted = joined + timedelta(days=rng.randint(30, (today - joined).days - 1))
        member.earlier_grades.append(GradePeriod(grade="member", since=joined, until=promoted - timedelta(days=1)))
        member.grade_since = promoted
    if rng.random() < 0.06:
        member.left_on = joined + timedelta(days=rng.randint(1, (today - joined).days))


def seed_records(rng):
    """A year of varied CPD for every demo member: most log a little, a few a lot."""
    member_ids = db.session.scalars(
        sa.select(Member.id).where(Member.email.like(f"%@{DEMO_DOMAIN}"), Member.role == "member")
    ).all()
    already = db.session.scalar(
        sa.select(sa.func.count()).select_from(CpdRecord).where(CpdRecord.member_id.in_(member_ids))
    )
    if already:
        return "CPD records: already seeded"
    today = date.today()
    rows = []
    for member_id in member_ids:
        if rng.random() < 0.35:
            objective = Objective(member_id=member_id, title=rng.choice(
                ["Work towards professional registration", "Build data analysis skills", "Learn to lead a team",
                 "Keep up with safety standards"]), why="Agreed at my annual review.",
                target_date=today + timedelta(days=rng.randint(60, 400)), status=rng.choice(["planned", "in_progress"]))
            db.session.add(objective)
            db.session.flush()
            objective_id = objective.id
        else:
            objective_id = None
        count = rng.choice([4, 6, 6, 8, 10, 12, 16, 20, 28, 44])
        for _ in range(count):
            activity_type = rng.choice(list(ACTIVITIES))
            title, learning, benefit = rng.choice(ACTIVITIES[activity_type])
            started = today - timedelta(days=rng.randint(1, 1000))
            days = 1 if rng.random() < 0.8 else rng.randint(2, 3)
            ended = min(started + timedelta(days=days - 1), today)
            reflected = rng.random() < 0.75
            rows.append({
                "member_id": member_id, "title": title, "activity_type": activity_type,
                "started_on": started, "ended_on": ended,
                "hours": rng.choice([1, 1.5, 2, 3, 3.5, 6, 7]) * days,
                "description": "", "learning": learning if reflected else "",
                "benefit_to_practice": benefit if reflected else "", "benefit_to_users": "",
                "objective_id": objective_id if objective_id and rng.random() < 0.5 else None,
                "verified": False,
            })
    db.session.execute(sa.insert(CpdRecord), rows)
    return f"CPD records: {len(rows)} activities for {len(member_ids)} members"


COURSES = [
    ("Introduction to failure analysis", "engineering", 7),
    ("Statistics for experimenters", "science", 14),
    ("Cyber security for operational technology", "digital", 7),
    ("Lighting and sound for live events: safety essentials", "creative_industry", 6),
    ("Leading technical teams", None, 12),
    ("Laboratory quality systems (ISO 17025)", "science", 7),
]
CONFERENCES = [
    ("Annual technicians' conference", None, ["Opening keynote", "Workshop: portfolio building", "Panel: routes to registration"]),
    ("Digital engineering summit", "digital", ["Keynote: digital twins", "Workshop: data pipelines", "Talk: AI assurance"]),
]
VENUES = ["Birmingham", "Manchester", "London", "Glasgow", "Cardiff", "Online"]


def _event(rng, kind, title, discipline, starts, hours, staff_id, **fields):
    from cpd.events.models import Event

    return Event(
        kind=kind, title=title, discipline=discipline, starts_at=starts, ends_at=starts + timedelta(hours=hours),
        timezone="Europe/London", venue=rng.choice(VENUES), capacity=fields.pop("capacity", rng.choice([12, 16, 20, 30])),
        cpd_hours=fields.pop("cpd_hours", hours), cpd_activity_type=fields.pop("cpd_activity_type", "formal_educational"),
        status="published", created_by_id=staff_id, description=fields.pop("description", ""), **fields,
    )


def _seat_past_event(rng, event, people):
    """Bookings for an event that has already happened, made in the weeks before it."""
    from cpd.events.models import Booking

    for person in people:
        booked_at = event.starts_at - timedelta(days=rng.randint(2, 60), hours=rng.randint(0, 23))
        db.session.add(Booking(event=event, member=person, status="confirmed", confirmed_at=booked_at,
                               created_at=booked_at, updated_at=booked_at))
    db.session.flush()


def _spread_booking_dates(rng, event):
    """Demo bookings for events to come were made over the past weeks, in the order of their ids."""
    from cpd.events.models import Booking

    booked = db.session.scalars(sa.select(Booking).where(Booking.event_id == event.id).order_by(Booking.id)).all()
    moment = utcnow() - timedelta(days=rng.randint(20, 50))
    for booking in booked:
        moment += timedelta(hours=rng.randint(1, 20))
        booking.created_at = booking.updated_at = min(moment, utcnow())
    db.session.flush()


def _give_feedback(rng, event, attended_bookings):
    from cpd.events.models import Feedback

    comments = ["Very practical.", "Great speakers.", "Too short.", "Well organised.", ""]
    for booking in attended_bookings:
        if rng.random() < 0.6:
            db.session.add(Feedback(event_id=event.id, member_id=booking.member_id,
                                    rating=rng.choices([2, 3, 4, 5], weights=[1, 3, 6, 5])[0],
                                    comment=rng.choice(comments), created_at=event.ends_at + timedelta(hours=2)))


def seed_events(rng):
    """A year of courses and conferences, past and to come, with bookings, waiting lists and registers."""
    from datetime import datetime, time, timezone

    from cpd.events import attendance, booking as booking_service
    from cpd.events.models import Booking, Course, ProgrammeSession

    if db.session.scalar(sa.select(sa.func.count()).select_from(Course)):
        return "events: already seeded"
    staff = db.session.scalar(sa.select(Member).where(Member.email == STAFF_EMAIL))
    members = db.session.scalars(
        sa.select(Member).where(Member.email.like(f"%@{DEMO_DOMAIN}"), Member.role == "member").order_by(Member.id)
    ).all()
    today = date.today()

    def at(day, hour):
        return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)

    events = []
    for title, discipline, hours in COURSES:
        course = Course(title=title, discipline=discipline, cpd_hours=hours,
                        description=f"A practical course: {title.lower()}.")
        db.session.add(course)
        db.session.flush()
        for offset in (-800, -560, -250, -120, -30, 21, 90):
            day = today + timedelta(days=offset + rng.randint(-5, 5))
            # A course of more than a day's eight hours runs on consecutive days, so it lasts at
            # least the hours it credits (an event may not credit more than it lasts).
            days = -(-hours // 8)
            events.append(_event(rng, "course", title, discipline, at(day, 9), 24 * (days - 1) + min(hours, 8),
                                 staff.id, course_id=course.id, cpd_hours=hours))
    for title, discipline, sessions in CONFERENCES:
        for offset in (-760, -400, -160, 60):
            day = today + timedelta(days=offset)
            conference = _event(rng, "conference", title, discipline, at(day, 9), 8, staff.id, capacity=60,
                                cpd_activity_type="professional_activity")
            for number, session_title in enumerate(sessions):
                start = at(day, 9 + 2 * number)
                conference.sessions.append(ProgrammeSession(
                    title=session_title, kind="workshop" if "Workshop" in session_title else "talk",
                    starts_at=start, ends_at=start + timedelta(hours=1, minutes=30),
                    capacity=20 if "Workshop" in session_title else None))
            events.append(conference)
    db.session.add_all(events)
    db.session.flush()

    bookings = attended = 0
    for event in events:
        crowd = rng.sample(members, min(len(members), rng.randint(5, (event.capacity or 20) + 6)))
        if event.starts_at > utcnow():
            for member in crowd:
                booking_service.book(member, event.id)
                bookings += 1
            _spread_booking_dates(rng, event)
            continue
        seats = crowd[: event.capacity]
        _seat_past_event(rng, event, seats)
        confirmed = db.session.scalars(sa.select(Booking).where(Booking.event_id == event.id)).all()
        came = [b.id for b in confirmed if rng.random() < 0.85]
        attendance.mark_attendance(staff, event, came, [b.id for b in confirmed if b.id not in came])
        _give_feedback(rng, event, [b for b in confirmed if b.id in came])
        bookings += len(confirmed)
        attended += len(came)
    return f"events: {len(events)} events ({len(COURSES)} courses, {len(CONFERENCES)} conferences), " \
           f"{bookings} bookings, {attended} attendances credited"


SIGS = [
    ("Additive Manufacturing", "engineering", "3D printing in metals and polymers, from design to qualification."),
    ("Laboratory Automation", "science", "Robotics, LIMS and the technicians who make labs run."),
    ("Research Software Engineering", "digital", "Software that science depends on, and the people who write it."),
    ("Live Events Technology", "creative_industry", "Sound, light and rigging: the technical crafts of live events."),
    ("Women in Engineering Technology", None, "A network for women across every discipline of the body."),
]
SIG_TOPICS = ["Show and tell", "Journal club", "Site visit", "Lightning talks", "Tools clinic", "Annual meet-up"]


def seed_sigs(rng):
    """SIGs across the four disciplines with leads and members, a year of sessions with registers,
    and outreach visits with their reach."""
    from datetime import datetime, time, timezone

    from cpd.events import attendance, booking as booking_service
    from cpd.events.models import Booking, Event
    from cpd.sigs.models import OutreachReach, Sig, SigLead, SigMembership

    if db.session.scalar(sa.select(sa.func.count()).select_from(Sig)):
        return "SIGs: already seeded"
    staff = db.session.scalar(sa.select(Member).where(Member.email == STAFF_EMAIL))
    lead_of_demo = db.session.scalar(sa.select(Member).where(Member.email == LEAD_EMAIL))
    members = db.session.scalars(
        sa.select(Member).where(Member.email.like(f"%@{DEMO_DOMAIN}"), Member.role == "member",
                                Member.email != LEAD_EMAIL).order_by(Member.id)
    ).all()
    graded = [m for m in members if m.grade]
    today = date.today()
    sessions = reach_events = 0
    for number, (name, discipline, description) in enumerate(SIGS):
        sig = Sig(name=name, discipline=discipline, description=description)
        db.session.add(sig)
        db.session.flush()
        leads = [lead_of_demo] if number == 1 else []
        leads += rng.sample(graded, 1 if number == 1 else 2)
        group = set(rng.sample(members, rng.randint(12, 30))) | set(leads)
        for person in sorted(group, key=lambda m: m.id):
            joined_at = utcnow() - timedelta(days=rng.randint(30, 1000))
            left_at = joined_at + timedelta(days=rng.randint(20, 300)) if person not in leads and rng.random() < 0.1 \
                else None
            if left_at is not None and left_at < utcnow():
                group.discard(person)  # left since: in the figures of the years they belonged, not in sessions
            else:
                left_at = None
            db.session.add(SigMembership(sig_id=sig.id, member_id=person.id, joined_at=joined_at, left_at=left_at))
        for person in leads:
            db.session.add(SigLead(sig_id=sig.id, member_id=person.id, appointed_by_id=staff.id))
        db.session.flush()
        for month in range(-29, 3, 3):
            day = today + timedelta(days=30 * month + rng.randint(-6, 6))
            starts = datetime.combine(day, time(18, 0), tzinfo=timezone.utc)
            kind = "outreach" if month in (-26, -14, -8, -2) else "sig_session"
            event = Event(
                kind=kind, sig_id=sig.id, status="published", timezone="Europe/London",
                title=f"{name}: {'school visit' if kind == 'outreach' else rng.choice(SIG_TOPICS)}",
                starts_at=starts, ends_at=starts + timedelta(hours=2), venue=rng.choice(VENUES),
                capacity=rng.choice([15, 20, 25, None]), cpd_hours=2, cpd_activity_type="professional_activity",
                members_only=kind == "sig_session" and rng.random() < 0.3, created_by_id=leads[0].id,
            )
            db.session.add(event)
            db.session.flush()
            sessions += 1
            crowd = rng.sample(sorted(group, key=lambda m: m.id), min(len(group), rng.randint(4, 18)))
            if starts > utcnow():
                for person in crowd:
                    booking_service.book(person, event.id)
                _spread_booking_dates(rng, event)
                continue
            _seat_past_event(rng, event, crowd[: event.capacity or len(crowd)])
            booked = db.session.scalars(sa.select(Booking).where(Booking.event_id == event.id)).all()
            came = [b.id for b in booked if rng.random() < 0.8]
            attendance.mark_attendance(leads[0], event, came, [b.id for b in booked if b.id not in came])
            _give_feedback(rng, event, [b for b in booked if b.id in came])
            if kind == "outreach":
                db.session.add(OutreachReach(event_id=event.id, young_people=rng.randint(40, 200),
                                             parents=rng.randint(5, 40), teachers=rng.randint(2, 12),
                                             recorded_by_id=leads[0].id))
                reach_events += 1
    db.session.flush()
    return f"SIGs: {len(SIGS)} groups with leads and members, {sessions} sessions, {reach_events} outreach visits"
