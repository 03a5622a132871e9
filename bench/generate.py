"""Fill a fresh, migrated database fast (COPY on PostgreSQL, executemany on SQLite).

Scale 1.0: 50,000 members, 5,000 events over three years, 500,000 bookings, 1,000,000 CPD
records, 200 SIGs. Most members log little and a few log a lot; popular events fill and waitlist.
"""
import hashlib
import random
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from cpd.auth import passwords
from cpd.members.vocabulary import CAREER_STAGES, DISCIPLINES, GRADES, SECTORS
from cpd.records.shipped_policies import SHIPPED_POLICY_CODES
from cpd.records.vocabulary import ACTIVITY_TYPES

BATCH = 20_000
TOKEN_MEMBERS = 2_000  # members given API tokens for the authenticated scenarios
POPULAR_EVENTS = 4  # future events of 5 seats, kept free of generated bookings, for the booking rush


def token_for(member_id):
    return f"bench-token-{member_id:06d}"


class Writer:
    """Rows into tables through the raw driver: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, engine):
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self.connection = engine.raw_connection()
        if self.postgres:
            # A million rows in one COPY outlast the app's statement timeout, which is for requests.
            self.connection.cursor().execute("SET statement_timeout = 0")
            self.connection.commit()

    def _sqlite_value(self, value):
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, datetime):
            return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return float(value)
        return value

    def write(self, table, columns, rows):
        cursor = self.connection.cursor()
        count = 0
        if self.postgres:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            batch = []
            for row in rows:
                batch.append([self._sqlite_value(v) for v in row])
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        self.connection.commit()
        return count

    def execute(self, sql):
        cursor = self.connection.cursor()
        cursor.execute(sql)
        self.connection.commit()

    def finish(self, tables):
        cursor = self.connection.cursor()
        if self.postgres:
            for table in tables:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"COALESCE((SELECT max(id) FROM {table}), 1))")
            self.connection.commit()
            # As autovacuum leaves a database in service: statistics, and the visibility map that
            # lets index-only scans skip the table (a bulk load leaves it empty).
            self.connection.driver_connection.autocommit = True
            cursor.execute("VACUUM ANALYZE")
            self.connection.driver_connection.autocommit = False
        else:
            cursor.execute("ANALYZE")
        self.connection.commit()
        self.connection.close()


def generate(engine, scale=1.0, seed=7):
    """Fill the database; returns the counts and what the load scenarios need."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    today = now.date()
    n_members = max(50, int(50_000 * scale))
    n_events = max(40, int(5_000 * scale))
    n_bookings = int(500_000 * scale)
    n_records = int(1_000_000 * scale)
    n_sigs = max(2, int(200 * scale))
    writer = Writer(engine)
    counts = {}
    password_hash = passwords.hash_password("bench-password")

    # members (and one staff account after them)
    grades = [None, *GRADES]
    def members():
        for member_id in range(1, n_members + 1):
            joined = now - timedelta(days=rng.randint(0, 3 * 365))
            grade = rng.choices(grades, weights=[20, 20, 25, 30, 5])[0]
            ambassador = grade is not None and rng.random() < 0.03
            joined_on = joined.date() if grade else None
            left_on = joined_on + timedelta(days=rng.randint(1, 400)) if grade and rng.random() < 0.04 else None
            yield (member_id, f"bench{member_id}@bench.example.org", f"Bench Member {member_id}", password_hash,
                   "member", grade, ambassador,
                   rng.choice(list(DISCIPLINES)), rng.choice(list(SECTORS)), rng.choice(list(CAREER_STAGES)),
                   rng.choice(SHIPPED_POLICY_CODES), joined, joined, joined_on, joined_on,
                   left_on if left_on and left_on < today else None, joined_on if ambassador else None)
        yield (n_members + 1, "staff@bench.example.org", "Bench Staff", password_hash, "staff", None, False,
               None, None, None, "science_council", now, now, None, None, None, None)
    counts["members"] = writer.write(
        "members", ["id", "email", "full_name", "password_hash", "role", "grade", "is_ambassador", "discipline",
                    "sector", "career_stage", "cpd_policy", "created_at", "updated_at", "joined_on", "grade_since",
                    "left_on", "ambassador_since"], members())
    staff_id = n_members + 1

    token_members = list(range(1, min(TOKEN_MEMBERS, n_members) + 1)) + [staff_id]
    counts["api_tokens"] = writer.write(
        "api_tokens", ["member_id", "token_hash", "created_at", "expires_at"],
        ((m, hashlib.sha256(token_for(m).encode()).hexdigest(), now, now + timedelta(days=30)) for m in token_members))

    # SIGs with leads and members
    counts["sigs"] = writer.write("sigs", ["id", "name", "discipline", "description", "created_at", "updated_at"],
                                  ((i, f"Bench SIG {i}", rng.choice(list(DISCIPLINES)), "", now, now)
                                   for i in range(1, n_sigs + 1)))
    memberships = set()
    for member_id in rng.sample(range(1, n_members + 1), k=n_members // 3):
        for sig_id in rng.sample(range(1, n_sigs + 1), k=min(n_sigs, rng.choice([1, 1, 2, 3]))):
            memberships.add((sig_id, member_id))
    counts["sig_memberships"] = writer.write("sig_memberships", ["sig_id", "member_id", "joined_at"],
                                             ((s, m, now - timedelta(days=rng.randint(0, 700))) for s, m in memberships))
    leads = [(sig_id, member_id) for sig_id, member_id in sorted(memberships) if rng.random() < 0.02][: n_sigs * 2]
    writer.write("sig_leads", ["sig_id", "member_id", "appointed_at"], ((s, m, now) for s, m in leads))

    # events: three years, two behind us and one ahead
    kinds = ["course", "sig_session", "conference", "outreach"]
    events = []
    for event_id in range(1, n_events + 1):
        kind = rng.choices(kinds, weights=[50, 35, 5, 10])[0]
        starts = datetime.combine(today - timedelta(days=730) + timedelta(days=rng.randint(0, 1095)),
                                  time(rng.choice([9, 10, 14, 18])), tzinfo=timezone.utc)
        capacity = rng.choice([None, 10, 20, 30, 40, 60, 100, 150])
        events.append((event_id, kind, starts, capacity))
    popular = []
    for number in range(POPULAR_EVENTS):
        event_id = n_events + 1 + number
        starts = datetime.combine(today + timedelta(days=30 + number), time(10), tzinfo=timezone.utc)
        events.append((event_id, "course", starts, 5))
        popular.append(event_id)

    def event_rows():
        for event_id, kind, starts, capacity in events:
            sig_id = rng.randint(1, n_sigs) if kind in ("sig_session", "outreach") else None
            status = "cancelled" if rng.random() < 0.03 and event_id not in popular else "published"
            yield (event_id, kind, f"Bench {kind.replace('_', ' ')} {event_id}", "", starts,
                   starts + timedelta(hours=rng.choice([2, 3, 7])), "Europe/London", rng.choice(["Leeds", "Online"]),
                   "", capacity, Decimal(rng.choice([2, 3, 7])), "formal_educational", rng.choice(list(DISCIPLINES)),
                   status, sig_id, None, False, None, None, None, now, now)
    counts["events"] = writer.write(
        "events", ["id", "kind", "title", "description", "starts_at", "ends_at", "timezone", "venue", "online_url",
                   "capacity", "cpd_hours", "cpd_activity_type", "discipline", "status", "sig_id", "course_id",
                   "members_only", "booking_opens_at", "booking_closes_at", "cancellation_deadline", "created_at",
                   "updated_at"], event_rows())

    # bookings: some events much more wanted than others
    ordinary = [e for e in events if e[0] not in popular]
    demand = [rng.paretovariate(1.2) for _ in ordinary]
    total_demand = sum(demand)
    attended_pairs = []

    def booking_rows():
        booking_id = 0
        for (event_id, kind, starts, capacity), want in zip(ordinary, demand):
            size = min(n_members, max(1, round(n_bookings * want / total_demand)))
            people = rng.sample(range(1, n_members + 1), size)
            for position, member_id in enumerate(people):
                booking_id += 1
                booked = starts - timedelta(days=rng.randint(1, 90))
                if rng.random() < 0.05:
                    status, attended = "cancelled", None
                elif capacity is None or position < capacity:
                    status = "confirmed"
                    attended = (rng.random() < 0.85) if starts < now else None
                    if attended:
                        attended_pairs.append((member_id, event_id, starts, kind))
                else:
                    status, attended = "waitlisted", None
                yield (booking_id, event_id, member_id, status, attended, booked if status == "confirmed" else None,
                       booked, booked)
    counts["bookings"] = writer.write(
        "bookings", ["id", "event_id", "member_id", "status", "attended", "confirmed_at", "created_at", "updated_at"],
        booking_rows())
    # Each event keeps its seat figures (cpd.events.seats), as booking through the service leaves them.
    writer.execute("UPDATE events SET "
                   "confirmed_count = (SELECT count(*) FROM bookings b WHERE b.event_id = events.id "
                   "AND b.status = 'confirmed'), "
                   "waitlist_count = (SELECT count(*) FROM bookings b WHERE b.event_id = events.id "
                   "AND b.status = 'waitlisted')")

    # CPD records: one verified record per attendance, the rest logged by members, heavily skewed
    types = list(ACTIVITY_TYPES)
    weights = [rng.paretovariate(1.1) for _ in range(n_members)]

    def record_rows():
        record_id = 0
        for member_id, event_id, starts, kind in attended_pairs[:n_records // 3]:
            record_id += 1
            day = starts.date()
            yield (record_id, member_id, f"Bench event {event_id}", "formal_educational", day, day, Decimal(3), "",
                   "", "", "", True, False, event_id, now, now)
        authors = rng.choices(range(1, n_members + 1), weights=weights, k=max(0, n_records - record_id))
        for member_id in authors:
            record_id += 1
            day = today - timedelta(days=rng.randint(1, 3 * 365))
            reflected = rng.random() < 0.7
            yield (record_id, member_id, "Bench activity", rng.choice(types), day, day,
                   Decimal(rng.choice([0.5, 1, 1.5, 2, 3, 4, 7])), "", "Learned something" if reflected else "",
                   "Better work" if reflected else "", "", False, record_id % 3 == 0, None, now, now)
    counts["cpd_records"] = writer.write(
        "cpd_records", ["id", "member_id", "title", "activity_type", "started_on", "ended_on", "hours", "description",
                        "learning", "benefit_to_practice", "benefit_to_users", "verified", "verifiable",
                        "source_event_id", "created_at", "updated_at"], record_rows())
    # A certificate attached to one record in five; a third of those logged are claimed verifiable
    # (ACCA), so the summaries ask which have evidence, as they do in service.
    counts["evidence"] = writer.write(
        "evidence", ["id", "record_id", "filename", "stored_name", "content_type", "size_bytes", "created_at",
                     "updated_at"],
        ((n, record_id, "certificate.pdf", f"bench-{record_id}", "application/pdf", 48_000, now, now)
         for n, record_id in enumerate(range(5, counts["cpd_records"] + 1, 5), start=1)))

    counts["feedback"] = writer.write(
        "feedback", ["event_id", "member_id", "rating", "comment", "created_at"],
        ((e, m, rng.choice([3, 4, 4, 5, 5]), "", s + timedelta(hours=5))
         for m, e, s, _ in attended_pairs if rng.random() < 0.1))
    outreach = [e for e in events if e[1] == "outreach" and e[2] < now]
    counts["outreach_reach"] = writer.write(
        "outreach_reach", ["event_id", "young_people", "parents", "teachers", "recorded_at"],
        ((e[0], rng.randint(20, 200), rng.randint(0, 40), rng.randint(1, 10), now) for e in outreach))
    writer.finish(["members", "api_tokens", "sigs", "events", "bookings", "cpd_records", "evidence", "feedback"])
    return {
        "counts": counts,
        "popular_events": popular,
        "token_members": token_members[:-1],
        "staff_token": token_for(staff_id),
        "event_ids": [e[0] for e in events if e[0] not in popular],
        "scale": scale,
    }
