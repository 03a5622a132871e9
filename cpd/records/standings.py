"""Each member's standing against the policy they follow, stored as of a day (cpd_standings), so the
year's figures count the members meeting their policy without measuring every log on each look.

A stored standing is kept equal to a recomputation three ways:

- In the transaction that changes what it reads: a record (its hours, dates, type, reflection, topics
  or evidence), an exemption, the member's policy, sector or areas of practice, or a policy's rules.
  The session's flushes note whose standing moved, and just before the commit those members are
  measured again, as of today, under a lock per member (PostgreSQL: an advisory lock, so two
  processes writing one member's records cannot each measure without the other's; SQLite: the write
  transaction the change already holds).
- For everyone by the daily round, since windows move with the day (`recompute_everyone`, in
  batches of members, each its own transaction). A standing written since the round began is newer
  than the round's and is left as it is.
- `flask metrics standings --check` (`differences`) measures every member again, as of the day
  their stored standing says, and names each difference.

A member with no stored standing (joined since the last round, nothing logged) stands as an empty
log does. The figures say which round they are as of.
"""
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from cpd.core.models import utcnow
from cpd.core.queries import insert_or_replace
from cpd.extensions import db
from cpd.members.history import today
from cpd.members.models import Member
from cpd.records.amounts import Amounts
from cpd.records.compliance import measured_members, met_by_an_empty_log, policy_followed
from cpd.records.models import (CpdExemption, CpdPolicy, CpdRecord, CpdStanding, Evidence, RecordTopic,
                                StandingsRound)
from cpd.records.policies import measure, rules_of

CENT = Decimal("0.01")
ROUND_BATCH = 5000  # members measured and written per transaction by the daily round
# What of a member a standing reads (their policy, and the practice their policy may ask about).
MEMBER_FIELDS = ("cpd_policy", "sector", "areas_of_practice")
# PostgreSQL advisory locks are keyed by two numbers: this one says "a member's standing".
LOCK_CLASS = 7341
NOTED = "standings_noted"


@dataclass(frozen=True)
class Standing:
    policy: str
    on_track: bool
    counted: Decimal  # hours or points counted towards the policy, to the hundredth
    short: int  # requirements not met yet

    @classmethod
    def of(cls, code, measured):
        return cls(code, measured.on_track, measured.total.quantize(CENT),
                   sum(1 for _, required, achieved in measured.checks if achieved < required))

    @classmethod
    def stored(cls, row):
        return cls(row.policy_code, bool(row.on_track), Decimal(row.counted).quantize(CENT), row.short)

    def __str__(self):
        return (f"{'on track' if self.on_track else 'short'} on {self.policy}, {self.counted} counted, "
                f"{self.short} requirement{'s' if self.short != 1 else ''} short")


def _policies_followed(as_of, who):
    """The rules of the policies the members `who` chooses follow on `as_of`: {code: rules}."""
    codes = sa.select(policy_followed(as_of)).where(*who).distinct()
    return {policy.code: rules_of(policy) for policy in db.session.scalars(
        sa.select(CpdPolicy).where(CpdPolicy.code.in_(codes)))}


def standings_of(as_of, *who):
    """{member id: Standing} of every member `who` chooses, measured as of `as_of` from the log."""
    policies = _policies_followed(as_of, who)
    if not policies:
        return {}
    return {member_id: Standing.of(code, measured)
            for member_id, (code, measured) in measured_members(as_of, policies, *who).items()}


def _store(standings, as_of, only_where=None):
    """Write {member id: Standing} as of `as_of`, replacing each member's row (unless `only_where`,
    SQL on the row there, does not hold): one statement; how many were written."""
    now = utcnow()
    if standings:
        db.session.execute(insert_or_replace(CpdStanding.__table__, "member_id", only_where=only_where), [
            {"member_id": member_id, "policy_code": s.policy, "as_of": as_of, "on_track": s.on_track,
             "counted": s.counted, "short": s.short, "computed_at": now} for member_id, s in standings.items()])
    return len(standings)


# --- kept in the transaction that changes them -----------------------------------------------------

def _lock(member_ids):
    """Take each member's standing for this transaction, in id order (so two writers never wait on
    each other crosswise), before their log is read. On SQLite a write takes the database's one
    write lock (a change being committed holds it already)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text(
            "SELECT pg_advisory_xact_lock(:lock_class, member_id) FROM "
            "(SELECT unnest(CAST(:ids AS integer[])) AS member_id ORDER BY member_id) AS chosen"),
            {"lock_class": LOCK_CLASS, "ids": member_ids})
    else:
        db.session.execute(sa.update(CpdStanding).where(CpdStanding.member_id.in_(member_ids))
                           .values(member_id=CpdStanding.member_id))


def restate(member_ids, day=None):
    """Measure these members again, as of `day` (today), and store what they stand at (a member no
    longer there loses their row). Called in the transaction that changed their log, before it
    commits, and by a round that replaces every standing."""
    member_ids = sorted(set(member_ids))
    _lock(member_ids)
    day = day or today()
    standings = standings_of(day, Member.id.in_(member_ids))
    gone = [member_id for member_id in member_ids if member_id not in standings]
    if gone:
        db.session.execute(sa.delete(CpdStanding).where(CpdStanding.member_id.in_(gone)))
    return _store(standings, day)


def _noted(session):
    return session.info.setdefault(NOTED, {"members": set(), "records": set(), "policies": set()})


def _member_fields_changed(member):
    state = sa.inspect(member)
    return any(state.attrs[name].history.has_changes() for name in MEMBER_FIELDS)


@event.listens_for(Session, "after_flush")
def _note_whose_standing_moves(session, flush_context):
    """Note the members whose stored standing this flush may have changed (resolved before commit)."""
    noted = None
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, (CpdRecord, CpdExemption)):
            if obj in session.dirty and not session.is_modified(obj):
                continue
            (noted := noted or _noted(session))["members"].add(obj.member_id)
        elif isinstance(obj, (RecordTopic, Evidence)):
            (noted := noted or _noted(session))["records"].add(obj.record_id)
        elif isinstance(obj, Member) and obj in session.dirty and _member_fields_changed(obj):
            (noted := noted or _noted(session))["members"].add(obj.id)
        elif isinstance(obj, CpdPolicy) and obj not in session.new and session.is_modified(obj):
            (noted := noted or _noted(session))["policies"].add(obj.code)


def _members_noted(noted):
    members = {member_id for member_id in noted["members"] if member_id is not None}
    if noted["records"]:
        members.update(db.session.scalars(sa.select(CpdRecord.member_id).where(
            CpdRecord.id.in_(noted["records"]))))
    if noted["policies"]:
        members.update(db.session.scalars(sa.select(Member.id).where(Member.cpd_policy.in_(noted["policies"]))))
    return members


@event.listens_for(Session, "before_commit")
def _restate_before_commit(session):
    if session.new or session.dirty or session.deleted:
        session.flush()  # what the commit would flush is noted too
    if not session.info.get(NOTED) or not has_app_context() or session is not db.session():
        return
    members = _members_noted(session.info.pop(NOTED))
    for start in range(0, len(members), ROUND_BATCH):
        restate(sorted(members)[start:start + ROUND_BATCH])


@event.listens_for(Session, "after_rollback")
def _forget_noted(session):
    session.info.pop(NOTED, None)


# --- the daily round ---------------------------------------------------------------------------------

def _batches(size):
    """The ids of each run of `size` members, in id order."""
    last = 0
    while True:
        ids = db.session.scalars(sa.select(Member.id).where(Member.id > last).order_by(Member.id).limit(size)).all()
        if not ids:
            return
        yield ids
        last = ids[-1]


def recompute_everyone(day, batch=ROUND_BATCH, replace=False):
    """Every member's standing as of `day`, a batch of members a transaction; then the round is
    noted (the figures are as of it). Returns how many were measured.

    The daily round reads each batch without holding anything and keeps a standing already as of
    `day` or later (written since the round began, by a change to that member's log: newer than the
    round's). With `replace` (mending), each batch is measured under the members' locks and every
    standing is written again."""
    measured = 0
    newer = CpdStanding.__table__.c.as_of < day
    for ids in list(_batches(batch)):
        if replace:
            measured += restate(ids, day)
        else:
            measured += _store(standings_of(day, Member.id.between(ids[0], ids[-1])), day, only_where=newer)
        db.session.commit()
    db.session.execute(insert_or_replace(StandingsRound.__table__, "day"),
                       [{"day": day, "members": measured, "finished_at": utcnow()}])
    db.session.commit()
    return measured


def last_round():
    """The day of the latest round (every stored standing is as of it or later); None before any."""
    return db.session.scalar(sa.select(sa.func.max(StandingsRound.day)))


# --- the check ---------------------------------------------------------------------------------------

def differences(batch=ROUND_BATCH):
    """Every stored standing beside a recomputation as of its own day, and every member without one
    beside an empty log's standing today: ["member N: stored …; recomputed …"], empty when all agree."""
    found = []
    for ids in list(_batches(batch)):
        first, last = ids[0], ids[-1]
        in_batch = Member.id.between(first, last)
        stored = {row.member_id: row for row in db.session.scalars(sa.select(CpdStanding).where(
            CpdStanding.member_id.between(first, last)))}
        by_day = {}
        for member_id, row in stored.items():
            by_day.setdefault(row.as_of, []).append(member_id)
        for day, member_ids in sorted(by_day.items()):
            recomputed = standings_of(day, Member.id.in_(member_ids))
            for member_id in member_ids:
                before, now = Standing.stored(stored[member_id]), recomputed.get(member_id)
                if before != now:
                    found.append(f"member {member_id}, as of {day}: stored {before}; recomputed {now or 'no member'}")
        found += _unstored_differences(in_batch, stored)
    return found


def _unstored_differences(in_batch, stored):
    """Members with no stored standing must stand today as an empty log of their policy stands."""
    day = today()
    unstored = [member_id for member_id in db.session.scalars(sa.select(Member.id).where(in_batch))
                if member_id not in stored]
    if not unstored:
        return []
    chosen = Member.id.in_(unstored)
    policies = _policies_followed(day, [chosen])
    empty = {code: Standing.of(code, measure(rules, Amounts(), day)) for code, rules in policies.items()}
    return [f"member {member_id}, as of {day}: no stored standing; recomputed {Standing.of(code, measured)}"
            for member_id, (code, measured) in measured_members(day, policies, chosen).items()
            if Standing.of(code, measured) != empty[code]]


# --- what the figures read ---------------------------------------------------------------------------

def on_track_count(as_of, *who):
    """(How many members `who` chooses are on track by their stored standings, the day of the round
    those standings are as of), or None before any round (the figures then measure every log).
    Those with no stored standing count when an empty log meets their policy on `as_of`."""
    round_day = last_round()
    if round_day is None:
        return None
    met_by_nothing = met_by_an_empty_log({policy.code: rules_of(policy)
                                          for policy in db.session.scalars(sa.select(CpdPolicy))}, as_of)
    on_track = sa.or_(CpdStanding.on_track.is_(True),
                      sa.and_(CpdStanding.member_id.is_(None), Member.cpd_policy.in_(met_by_nothing)))
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Member)
                              .outerjoin(CpdStanding, CpdStanding.member_id == Member.id).where(*who, on_track))
    return count, round_day
