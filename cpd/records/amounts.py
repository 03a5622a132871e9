"""What a CPD log amounts to over a window, counted by the database: hours by type, formal,
verifiable, verified, evidence claimed, reflections, and hours on each topic from its own start.

The rule for a record that spans a period boundary: its hours are spread evenly over the days it
covers, and only the days inside the window count. A record made after the policy's last day to
record (RICS: 31 January for the year before) does not count for that period."""
import functools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from cpd.core.models import UTCDateTime
from cpd.core.queries import days_between
from cpd.extensions import db
from cpd.records.models import CpdRecord, Evidence, RecordTopic
from cpd.records.periods import counting_window, recorded_before, topic_starts
from cpd.records.vocabulary import AREA_TOPIC_PREFIX


def _literal(value):
    return sa.literal(value) if isinstance(value, date) else value


def hours_inside(start, end):
    """A record's hours spread evenly over its days, only the days inside [start, end] counted."""
    overlap_start = sa.case((CpdRecord.started_on < start, start), else_=CpdRecord.started_on)
    overlap_end = sa.case((CpdRecord.ended_on > end, end), else_=CpdRecord.ended_on)
    days_inside = days_between(overlap_start, overlap_end) + 1
    days_total = days_between(CpdRecord.started_on, CpdRecord.ended_on) + 1
    # As a float: SQLite would divide whole numbers of hours as integers.
    return sa.cast(CpdRecord.hours, sa.Float) * days_inside / days_total


def _has_text(column):
    return sa.func.length(sa.func.trim(column)) > 0


# Asked of each record by its own index lookup. (A join to every evidenced record's id made the
# database gather the whole evidence table for every member's summary: 75 ms on SQLite with 200,000
# files, against 0.1 ms asked record by record.)
_EVIDENCED = sa.exists().where(Evidence.record_id == CpdRecord.id)
# Verifiable CPD (ACCA): recorded attendance, or a claim the member backs with evidence attached.
VERIFIABLE = sa.or_(CpdRecord.verified, sa.and_(CpdRecord.verifiable, _EVIDENCED))
CLAIMED_WITHOUT_EVIDENCE = sa.and_(CpdRecord.verifiable, sa.not_(CpdRecord.verified), sa.not_(_EVIDENCED))


def amounts_statement(start, end, recorded_before):
    """Hours inside [start, end] by activity type, verified, formal, verifiable and claimed without
    evidence, with record counts, records lacking each kind of reflection, and the earliest start.

    `start` and `end` are dates or SQL expressions (a per-member period), `recorded_before` a moment
    or an SQL expression (records made later do not count; None: no record is too late). The caller
    adds its WHERE.
    """
    start, end = _literal(start), _literal(end)
    learning = _has_text(CpdRecord.learning)
    practice, users = _has_text(CpdRecord.benefit_to_practice), _has_text(CpdRecord.benefit_to_users)
    lacks_one = sa.not_(sa.and_(learning, sa.or_(practice, users)))
    lacks_both = sa.not_(sa.and_(learning, practice, users))
    return (
        sa.select(
            CpdRecord.activity_type, CpdRecord.verified, CpdRecord.formal, VERIFIABLE.label("verifiable_ok"),
            CLAIMED_WITHOUT_EVIDENCE.label("unevidenced"),
            sa.func.sum(hours_inside(start, end)), sa.func.count(),
            sa.func.sum(sa.case((lacks_one, 1), else_=0)), sa.func.sum(sa.case((lacks_both, 1), else_=0)),
            sa.func.min(CpdRecord.started_on),
        )
        .select_from(CpdRecord)
        .where(CpdRecord.started_on <= end, CpdRecord.ended_on >= start,
               *([] if recorded_before is None else [CpdRecord.created_at < recorded_before]))
        .group_by(CpdRecord.activity_type, CpdRecord.verified, CpdRecord.formal, VERIFIABLE.label("verifiable_ok"),
                  CLAIMED_WITHOUT_EVIDENCE.label("unevidenced"))
    )


def topic_amounts_statement(topic_start, end, recorded_before):
    """Hours by topic, each inside [its own start, end]. `topic_start` is an SQL expression of the
    topic (a CASE over RecordTopic.topic). The caller adds its WHERE."""
    end = _literal(end)
    return (
        sa.select(RecordTopic.topic, sa.func.sum(hours_inside(topic_start, end)))
        .join(CpdRecord, CpdRecord.id == RecordTopic.record_id)
        .where(CpdRecord.started_on <= end, CpdRecord.ended_on >= topic_start,
               *([] if recorded_before is None else [CpdRecord.created_at < recorded_before]))
        .group_by(RecordTopic.topic)
    )


def topic_start_whens(starts, *condition):
    """CASE branches: each topic's rows from its start, and the rows of each area of practice
    ("area_of_practice:civil") from the start of area_of_practice, under any extra `condition`."""
    whens = [(sa.and_(*condition, RecordTopic.topic == topic), start) for topic, start in starts.items()]
    if "area_of_practice" in starts:
        whens.append((sa.and_(*condition, RecordTopic.topic.startswith(AREA_TOPIC_PREFIX, autoescape=True)),
                      starts["area_of_practice"]))
    return whens


@dataclass
class Amounts:
    """What a member's log holds for one policy's measure; measure() reads nothing else."""

    by_type: dict = field(default_factory=dict)  # hours (unrounded) by activity type
    verified: Decimal = Decimal(0)
    verifiable: Decimal = Decimal(0)
    unevidenced: Decimal = Decimal(0)
    formal: Decimal = Decimal(0)
    topics: dict = field(default_factory=dict)
    record_count: int = 0
    lacking_a_benefit: int = 0
    lacking_both_benefits: int = 0
    earliest: date | None = None
    carried: Decimal = Decimal(0)  # verifiable hours carried in from the period before (ACCA)

    def add_row(self, activity_type, verified, formal, verifiable, unevidenced, hours, count, lacks_one,
                lacks_both, earliest):
        hours = exact_hours(hours)
        self.by_type[activity_type] = self.by_type.get(activity_type, Decimal(0)) + hours
        self.verified += hours if verified else 0
        self.verifiable += hours if verifiable else 0
        self.unevidenced += hours if unevidenced else 0
        self.formal += hours if formal else 0
        self.record_count += count
        self.lacking_a_benefit += int(lacks_one or 0)
        self.lacking_both_benefits += int(lacks_both or 0)
        if earliest is not None:
            earliest = earliest if isinstance(earliest, date) else date.fromisoformat(str(earliest))
            self.earliest = min(self.earliest or earliest, earliest)


def exact_hours(hours):
    """Sums as they are, to a millionth of an hour: the float sum's noise gone, nothing rounded away."""
    return Decimal(str(round(float(hours or 0), 6)))


def amounts_in_period(member_id, policy, as_of):
    """The member's Amounts for `policy` on `as_of`: one query (its topics joined on by UNION ALL)."""
    start, end = counting_window(policy, as_of)
    starts = topic_starts(policy, as_of)
    topics = tuple(sorted(starts))
    values = {"start": start, "end": end, "member_id": member_id, "recorded_before": recorded_before(policy, as_of),
              **{f"topic_start_{i}": starts[topic] for i, topic in enumerate(topics)}}
    return _amounts_of(db.session.execute(_member_amounts_statement(topics), values))


def _amounts_of(rows):
    amounts = Amounts()
    for *row, kind in rows:
        if kind == "topic":
            amounts.topics[row[0]] = exact_hours(row[5])
        else:
            amounts.add_row(*row)
    return amounts


@functools.cache
def _member_amounts_statement(topics):
    """One member's amounts in [start, end], and hours on each of `topics` from its own start:
    built once per set of topics and run with bound values (building it cost as much as running
    it, profiled on the CPD summary)."""
    start, end = sa.bindparam("start", type_=sa.Date), sa.bindparam("end", type_=sa.Date)
    member_id = sa.bindparam("member_id")
    made_before = sa.bindparam("recorded_before", type_=UTCDateTime())
    main = amounts_statement(start, end, made_before).where(CpdRecord.member_id == member_id).add_columns(sa.literal("type"))
    if not topics:
        return main
    topic_start = sa.case(*topic_start_whens({topic: sa.bindparam(f"topic_start_{i}", type_=sa.Date)
                                              for i, topic in enumerate(topics)}),
                          else_=sa.literal(date(9999, 12, 31)))
    by_topic = topic_amounts_statement(topic_start, end, made_before).where(CpdRecord.member_id == member_id)
    topic, hours = by_topic.selected_columns
    nothing = [sa.null()] * 4
    return sa.union_all(main, by_topic.with_only_columns(topic, *nothing, hours, *nothing, sa.literal("topic")))
