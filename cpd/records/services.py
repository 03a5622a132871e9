"""The CPD record's rules. Functions flush, never commit; the caller commits once."""
import functools
import os
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from cpd.core import answers, audit
from cpd.core import files
from cpd.core.errors import Conflict, Forbidden, Invalid, NotFound
from cpd.core.queries import year_month
from cpd.extensions import db
from cpd.members.history import value_on
from cpd.members.models import ProfilePeriod
from cpd.members.policy_catalogue import policy_codes
from cpd.records import evidence as evidence_types
from cpd.records import permissions, policies
from cpd.records.models import CpdExemption, CpdPolicy, CpdRecord, Evidence, Objective, RecordCompetence, RecordTopic
from cpd.records.periods import period_for, record_by_date
from cpd.members.vocabulary import AREAS_OF_PRACTICE
from cpd.records.vocabulary import ACTIVITY_TYPES, AREA_TOPIC_PREFIX, COMPETENCE_CODES, TOPICS

EVIDENCE_FOLDER = "evidence"
EARLIEST_DATE = date(1950, 1, 1)
MAX_HOURS_PER_DAY = 24
TEXT_LIMIT = 10_000
TEXT_FIELDS = ("description", "learning", "benefit_to_practice", "benefit_to_users")
FLAGS = ("formal", "verifiable")
CODE_LISTS = {"topics": TOPICS, "practice_areas": AREAS_OF_PRACTICE, "competences": COMPETENCE_CODES}
ROWS_OF = {"topics": "topic_rows", "practice_areas": "topic_rows", "competences": "competence_rows"}
RECORD_FIELDS = ("title", "activity_type", "started_on", "ended_on", "hours", *TEXT_FIELDS, "objective_id", *FLAGS,
                 *CODE_LISTS)
# A record made from recorded attendance keeps these as the register set them.
SET_BY_ATTENDANCE = ("title", "activity_type", "started_on", "ended_on", "hours", "verifiable")


def today():
    return datetime.now(timezone.utc).date()


# --- policies -------------------------------------------------------------------------------

def policy_search():
    return sa.select(CpdPolicy).order_by(CpdPolicy.name)


def get_policy(code):
    policy = db.session.get(CpdPolicy, code) if code else None
    if policy is None:
        known = ", ".join(policy_codes())
        raise NotFound(f"Unknown CPD policy {code!r}. Known policies: {known}.", {"policy": [f"Known: {known}."]})
    return policy


def summary_for(member, policy_code=None, as_of=None):
    """Where the member stands against a policy (theirs unless another is asked for): two queries."""
    as_of = as_of or today()
    if as_of < EARLIEST_DATE or as_of.year > 9000:
        raise Invalid.on_field("as_of", "Give a date between 1950 and 9000.")
    # Unless another is asked for, the policy the member followed on `as_of` (chosen later, today's).
    policy, exemptions = _policy_and_exemptions(policy_code or member.cpd_policy, member.id,
                                                date.max if policy_code else as_of)
    since = member.created_at.date() if member.created_at else None
    practice = practice_on(member, policy, as_of)
    summary = policies.summarise(member.id, policy, as_of, member_since=since, exemptions=exemptions,
                                 practice=practice)
    summary.still_open = _period_still_open(member, policy, as_of, since, exemptions)
    if policy.continuous_record:
        summary.notes.extend(gaps_in_the_record(member.id, summary.period_start, min(summary.period_end, as_of)))
    _through_a_scheme(summary, member, policy, as_of)
    return summary


def _through_a_scheme(summary, member, policy, as_of):
    """An approved employer scheme the member shares their standing with meets the policy (the
    organisations domain answers, cpd.organisations.schemes). Asked only when something is short:
    a record that meets the policy by itself needs no scheme (and no query)."""
    if not summary.shortfalls:
        return
    scheme = answers.ask("scheme_covering", member.id, policy.code, as_of)
    if scheme:
        summary.met_through_scheme = scheme
        summary.notes.append(f"Met through {scheme['organisation']}'s approved scheme "
                             f"({scheme['from']:%-d %b %Y} to {scheme['until']:%-d %b %Y}).")


def practice_on(member, policy, as_of):
    """What the policy asks of the member's practice on `as_of` (their areas of practice, whether
    they teach), read only for a policy that asks about it."""
    if "area_of_practice" not in (policy.topic_minimums or {}) and not policy.academic_topic_minimums:
        return policies.NO_PRACTICE
    return policies.Practice.of(value_on(member, "areas_of_practice", as_of), value_on(member, "sector", as_of))


GAP_DAYS = 90  # three months or more without any activity (HCPC asks registrants to explain such gaps)


def gaps_in_the_record(member_id, start, end):
    """Where the log over [start, end] has three months or more with no activity, in words: the
    Science Council's standard 1 asks for a continuous, up-to-date record. One query."""
    spans = db.session.execute(sa.select(CpdRecord.started_on, CpdRecord.ended_on).where(
        CpdRecord.member_id == member_id, CpdRecord.started_on <= end, CpdRecord.ended_on >= start)
        .order_by(CpdRecord.started_on)).all()
    gaps, covered_to = [], start - timedelta(days=1)
    for started, ended in [*spans, (end + timedelta(days=1), end + timedelta(days=1))]:
        if (started - covered_to).days - 1 >= GAP_DAYS:
            gaps.append((covered_to + timedelta(days=1), started - timedelta(days=1)))
        covered_to = max(covered_to, ended)
    return [f"No CPD recorded from {first:%-d %b %Y} to {last:%-d %b %Y}: the record is to be continuous, "
            "so add what you did then, or say why there was a gap (a career break, illness)." for first, last in gaps]


def _period_still_open(member, policy, as_of, since, exemptions):
    """The period before this one while it may still be recorded (RICS, in January: last year's
    hours recorded until 31 January), measured on its last day; None otherwise."""
    if not policy.record_by or policy.period_kind != "calendar_year":
        return None
    start, _ = period_for(policy, as_of)
    last_day = start - timedelta(days=1)
    if as_of > record_by_date(policy, last_day):
        return None
    return policies.summarise(member.id, policy, last_day, member_since=since, exemptions=exemptions,
                              practice=practice_on(member, policy, last_day))


@functools.cache
def _policy_and_exemptions_statement():
    """The policy, with the member's exemptions joined on (usually none): one query where the
    summary, the busiest signed-in answer, used to take two. The policy is the one the member
    followed on `as_of` (their profile's history), else `code`."""
    then = (sa.select(ProfilePeriod.value).where(
        ProfilePeriod.member_id == sa.bindparam("member_id"), ProfilePeriod.field == "cpd_policy",
        ProfilePeriod.until >= sa.bindparam("as_of", type_=sa.Date))
        .order_by(ProfilePeriod.until, ProfilePeriod.id).limit(1).scalar_subquery())
    return (sa.select(CpdPolicy, CpdExemption)
            .outerjoin(CpdExemption, CpdExemption.member_id == sa.bindparam("member_id"))
            .where(CpdPolicy.code == sa.func.coalesce(then, sa.bindparam("code")))
            .order_by(CpdExemption.starts_on, CpdExemption.id))


def _policy_and_exemptions(code, member_id, as_of=date.max):
    rows = db.session.execute(_policy_and_exemptions_statement(),
                              {"code": code, "member_id": member_id, "as_of": as_of}).all()
    if not rows:
        get_policy(code)  # says which policies there are
    return rows[0][0], [exemption for _, exemption in rows if exemption is not None]


# --- the log --------------------------------------------------------------------------------

def check_text(field, value, limit, required=False):
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise Invalid.on_field(field, "Must be text.")
    if required and not value:
        raise Invalid.on_field(field, "Required.")
    if len(value) > limit:
        raise Invalid.on_field(field, f"At most {limit} characters.")
    if "\x00" in value:
        raise Invalid.on_field(field, "Contains a character that cannot be stored.")
    return value


def _check_hours(value):
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise Invalid.on_field("hours", "Must be a number of hours.") from None
    if not hours.is_finite() or hours <= 0:
        raise Invalid.on_field("hours", "Must be more than 0.")
    return hours


def check_codes(field, codes, known, errors):
    """A list of known codes, deduplicated and sorted; the unknown ones named in `errors`."""
    unknown = [code for code in codes if code not in known] if isinstance(codes, (list, tuple)) else None
    if unknown or unknown is None:
        errors[field] = [f"Unknown {field[:-1]} {', '.join(map(str, unknown or [codes]))}. "
                         f"Allowed: {', '.join(known)}."]
        return None
    return sorted(set(codes))


def _clean_record(member, values):
    """Validate a whole record's values (after merging any changes); raises Invalid with every error."""
    errors = {}

    def attempt(field, check):
        try:
            return check()
        except Invalid as error:
            errors.update(error.errors)

    cleaned = dict(values)
    cleaned["title"] = attempt("title", lambda: check_text("title", values.get("title"), 200, required=True))
    for field in TEXT_FIELDS:
        cleaned[field] = attempt(field, lambda f=field: check_text(f, values.get(f), TEXT_LIMIT))
    if values.get("activity_type") not in ACTIVITY_TYPES:
        errors["activity_type"] = [f"Must be one of: {', '.join(ACTIVITY_TYPES)}."]
    started, ended = values.get("started_on"), values.get("ended_on") or values.get("started_on")
    cleaned["ended_on"] = ended
    if not isinstance(started, date):
        errors["started_on"] = ["Required: the date the activity started."]
    else:
        if started < EARLIEST_DATE:
            errors["started_on"] = [f"Must be on or after {EARLIEST_DATE.isoformat()}."]
        if ended < started:
            errors["ended_on"] = ["Must not be before the start date."]
        elif started > today():
            errors["started_on"] = ["Must not be in the future: log activity once it has happened."]
        elif ended > today():
            errors["ended_on"] = ["Must not be in the future: log activity once it has happened."]
    hours = attempt("hours", lambda: _check_hours(values.get("hours")))
    cleaned["hours"] = hours
    if hours is not None and isinstance(started, date) and ended >= started:
        days = (ended - started).days + 1
        if hours > MAX_HOURS_PER_DAY * days:
            errors["hours"] = [f"At most {MAX_HOURS_PER_DAY * days} hours over {days} day{'s' if days > 1 else ''}."]
    for flag in FLAGS:
        if not isinstance(values.get(flag) or False, bool):
            errors[flag] = ["Must be true or false."]
        cleaned[flag] = bool(values.get(flag))
    if values.get("formal") is None:
        # Formal follows the activity type unless the member says otherwise: a formal educational
        # activity (a course, a programme with learning outcomes) is RICS's formal CPD.
        cleaned["formal"] = values.get("activity_type") == "formal_educational"
    for field, known in CODE_LISTS.items():
        cleaned[field] = check_codes(field, values.get(field) or [], known, errors)
    if cleaned["practice_areas"] and cleaned["topics"] is not None and "area_of_practice" not in cleaned["topics"]:
        cleaned["topics"] = sorted([*cleaned["topics"], "area_of_practice"])  # a record in one of your areas is one
    objective_id = values.get("objective_id")
    if objective_id is not None:
        objective = db.session.get(Objective, objective_id)
        if objective is None or objective.member_id != member.id:
            errors["objective_id"] = ["No such objective in your development plan."]
    if errors:
        raise Invalid.from_fields(errors)
    return cleaned


def add_record(member, values):
    """A member logs an activity."""
    unknown = set(values) - set(RECORD_FIELDS)
    if unknown:
        raise Invalid(f"Unknown fields: {', '.join(sorted(unknown))}.")
    cleaned = _clean_record(member, {field: values.get(field) for field in RECORD_FIELDS})
    record = CpdRecord(member_id=member.id, verified=False)
    _apply(record, cleaned, RECORD_FIELDS)
    db.session.add(record)
    db.session.flush()
    return record


def _apply(record, cleaned, fields):
    if {"topics", "practice_areas"} & set(fields):
        record.topic_rows = [RecordTopic(topic=code) for code in
                             [*cleaned["topics"], *(AREA_TOPIC_PREFIX + area for area in cleaned["practice_areas"])]]
    for field in fields:
        if field in ("topics", "practice_areas"):
            continue
        elif field == "competences":
            record.competence_rows = [RecordCompetence(code=code) for code in cleaned[field]]
        else:
            setattr(record, field, cleaned[field])


def _current_values(record):
    return {field: getattr(record, field) for field in RECORD_FIELDS}


def _origin(record):
    return record.source_system or "recorded attendance"


def update_record(actor, record, changes):
    if not permissions.can_change_record(actor, record):
        raise NotFound("No such CPD record.")
    if record.verified:
        locked = sorted(f for f in SET_BY_ATTENDANCE if f in changes and changes[f] != getattr(record, f))
        if locked:
            raise Invalid(
                f"{', '.join(locked)} of a verified record come from {_origin(record)}; "
                "you can change its reflection.",
                {f: [f"Set from {_origin(record)}."] for f in locked},
            )
    cleaned = _clean_record(record.member, {**_current_values(record), **changes})
    if set(changes) & set(CODE_LISTS):
        # The old rows go before the new ones share their keys.
        for field in set(changes) & set(CODE_LISTS):
            getattr(record, ROWS_OF[field]).clear()
        db.session.flush()
    _apply(record, cleaned, [field for field in RECORD_FIELDS if field in changes])
    db.session.flush()
    return record


def delete_record(actor, record):
    if not permissions.can_change_record(actor, record):
        raise NotFound("No such CPD record.")
    if record.verified:
        raise Conflict(f"A verified record comes from {_origin(record)} and stays in your log.")
    for item in record.evidence:
        files.discard_after_commit(db.session, EVIDENCE_FOLDER, item.stored_name)
    db.session.delete(record)
    db.session.flush()


def get_record_for(actor, record_id, *, to_change=False):
    """A record the actor may see (their own; staff: anyone's, to read); others get 404."""
    record = db.session.get(CpdRecord, record_id)
    allowed = permissions.can_change_record if to_change else permissions.can_read_record
    if record is None or not allowed(actor, record):
        raise NotFound("No such CPD record.")
    return record


def record_search(member_id, year=None, activity_type=None, verified=None, objective_id=None):
    """A select() of a member's records, newest first."""
    statement = (
        sa.select(CpdRecord)
        .where(CpdRecord.member_id == member_id)
        .options(selectinload(CpdRecord.evidence), selectinload(CpdRecord.topic_rows),
                 selectinload(CpdRecord.competence_rows))
        .order_by(CpdRecord.started_on.desc(), CpdRecord.id.desc())
    )
    if year:
        statement = statement.where(
            CpdRecord.started_on <= date(year, 12, 31), CpdRecord.ended_on >= date(year, 1, 1)
        )
    if activity_type:
        statement = statement.where(CpdRecord.activity_type == activity_type)
    if verified is not None:
        statement = statement.where(CpdRecord.verified.is_(verified))
    if objective_id:
        statement = statement.where(CpdRecord.objective_id == objective_id)
    return statement


def years_logged(member_id):
    first_year = sa.func.min(CpdRecord.started_on)
    first = db.session.scalar(sa.select(first_year).where(CpdRecord.member_id == member_id))
    this_year = today().year
    if first is None:
        return [this_year]
    first = first if isinstance(first, date) else date.fromisoformat(str(first))
    return list(range(this_year, first.year - 1, -1))


# --- evidence -------------------------------------------------------------------------------

def _safe_filename(filename):
    name = os.path.basename((filename or "").replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>:|?*')
    return name[:200] or "evidence"


def add_evidence(actor, record, filename, content):
    """Keep a file as evidence for a record, if its content is an allowed type and size."""
    if not permissions.can_change_record(actor, record):
        raise NotFound("No such CPD record.")
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    if len(content) > limit:
        raise EvidenceTooLarge(f"The file is larger than the {limit // (1024 * 1024)} MB allowed.")
    if not content:
        raise Invalid.on_field("file", "The file is empty.")
    detected = evidence_types.detect_type(content)
    if detected is None:
        raise Invalid.on_field("file", f"Only {evidence_types.ALLOWED} files can be kept as evidence.")
    content_type, extension = detected
    name = _safe_filename(filename)
    if not name.lower().endswith(f".{extension}"):
        name = f"{os.path.splitext(name)[0] or 'evidence'}.{extension}"
    stored_name = files.save_new_file(db.session, EVIDENCE_FOLDER, content)
    item = Evidence(record=record, filename=name, stored_name=stored_name, content_type=content_type,
                    size_bytes=len(content))
    db.session.add(item)
    db.session.flush()
    return item


class EvidenceTooLarge(Invalid):
    status_code = 413


def get_evidence_for(actor, record_id, evidence_id, *, to_change=False):
    record = get_record_for(actor, record_id, to_change=to_change)
    item = next((e for e in record.evidence if e.id == evidence_id), None)
    if item is None:
        raise NotFound("No such evidence file.")
    audit.record_personal_data_read(actor, "evidence", record.member_id, record_id=record.id, evidence_id=item.id)
    return item


def evidence_file_path(item):
    return files.upload_path(EVIDENCE_FOLDER, item.stored_name)


def delete_evidence(actor, item):
    if not permissions.can_change_record(actor, item.record):
        raise NotFound("No such evidence file.")
    files.discard_after_commit(db.session, EVIDENCE_FOLDER, item.stored_name)
    db.session.delete(item)
    db.session.flush()


def ensure_may_read_member_records(actor, member):
    if not permissions.can_read_member_records(actor, member):
        raise Forbidden("Only staff can read another member's CPD records.")
    audit.record_personal_data_read(actor, "cpd_records", member.id)


def monthly_hours(member_id, start, end):
    """Hours logged in each month of [start, end] (by the month each activity ended): {'YYYY-MM': hours}."""
    month = year_month(CpdRecord.ended_on)
    rows = db.session.execute(
        sa.select(month, sa.func.sum(CpdRecord.hours))
        .where(CpdRecord.member_id == member_id, CpdRecord.ended_on >= start, CpdRecord.ended_on <= end)
        .group_by(month)
    )
    return {key: Decimal(str(hours)) for key, hours in rows}


# --- personal data ------------------------------------------------------------------------------

ERASED_TEXT = "[erased]"


def erase_personal_data(member_id):
    """Remove what a member wrote and kept, but keep the hours, types and dates the figures count.

    Reflections that existed become a placeholder (so 'reflected' counts stay as they were);
    evidence files and the development plan go."""
    for field in ("learning", "benefit_to_practice", "benefit_to_users", "description"):
        column = getattr(CpdRecord, field)
        db.session.execute(
            sa.update(CpdRecord).where(CpdRecord.member_id == member_id, sa.func.length(sa.func.trim(column)) > 0)
            .values({field: ERASED_TEXT}).execution_options(synchronize_session=False))
    db.session.execute(sa.update(CpdRecord).where(CpdRecord.member_id == member_id)
                       .values(title="Erased activity", objective_id=None).execution_options(synchronize_session=False))
    evidence = db.session.scalars(
        sa.select(Evidence).join(CpdRecord, CpdRecord.id == Evidence.record_id).where(CpdRecord.member_id == member_id)
    ).all()
    for item in evidence:
        files.discard_after_commit(db.session, EVIDENCE_FOLDER, item.stored_name)
        db.session.delete(item)
    db.session.execute(sa.delete(Objective).where(Objective.member_id == member_id))
    db.session.flush()


def personal_data(member_id):
    """What the log holds on a member, for their download: (documents, evidence files)."""
    records = db.session.scalars(
        sa.select(CpdRecord).where(CpdRecord.member_id == member_id).options(selectinload(CpdRecord.evidence))
        .order_by(CpdRecord.started_on, CpdRecord.id)
    ).all()
    objectives = db.session.scalars(sa.select(Objective).where(Objective.member_id == member_id)).all()
    documents = {
        "cpd-records.json": [
            {**{field: getattr(r, field) for field in RECORD_FIELDS}, "id": r.id, "verified": r.verified,
             "source_event_id": r.source_event_id, "evidence": [e.filename for e in r.evidence]}
            for r in records
        ],
        "development-plan.json": [{field: getattr(o, field) for field in
                                   ("id", "title", "why", "target_date", "status", "competences")} for o in objectives],
    }
    evidence = [(f"evidence/{r.id}-{e.id}-{e.filename}", evidence_file_path(e)) for r in records for e in r.evidence]
    return documents, evidence
