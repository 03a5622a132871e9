"""A member's record for registration or audit: CSV rows, a PDF profile, xAPI statements."""
import uuid
from datetime import datetime, time, timezone
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from fpdf import FPDF
from sqlalchemy.orm import selectinload

from cpd.extensions import db
from cpd.members.vocabulary import GRADES, REGISTRATION_TITLES, label
from cpd.records.models import CpdRecord
from cpd.records.vocabulary import ACTIVITY_TYPES, EXEMPTION_KINDS, TOPICS

FONTS = Path(__file__).resolve().parent / "fonts"

CSV_HEADER = [
    "id", "title", "activity_type", "started_on", "ended_on", "hours", "verified", "source_event_id",
    "objective", "description", "learning", "benefit_to_practice", "benefit_to_users", "evidence_files",
]


def _records(member_id, batch=500, start=None, end=None):
    """The member's records, oldest first, fetched in batches; with `start` and `end`, those that
    touch that period."""
    statement = (
        sa.select(CpdRecord)
        .where(CpdRecord.member_id == member_id)
        .options(selectinload(CpdRecord.evidence), selectinload(CpdRecord.objective), selectinload(CpdRecord.topic_rows))
        .order_by(CpdRecord.started_on, CpdRecord.id)
        .execution_options(yield_per=batch)
    )
    if start is not None:
        statement = statement.where(CpdRecord.ended_on >= start, CpdRecord.started_on <= end)
    yield from db.session.scalars(statement)


def csv_rows(member_id):
    for record in _records(member_id):
        yield [
            record.id, record.title, record.activity_type, record.started_on, record.ended_on, record.hours,
            record.verified, record.source_event_id, record.objective.title if record.objective else "",
            record.description, record.learning, record.benefit_to_practice, record.benefit_to_users,
            "; ".join(item.filename for item in record.evidence),
        ]


# --- xAPI -----------------------------------------------------------------------------------

XAPI_NAMESPACE = uuid.UUID("6f0c1b52-3c55-4f1e-9a1e-5b8f2c0d7a41")
VERB_ATTENDED = {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended"}}
VERB_COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-GB": "completed"}}
ACTIVITY_TYPE_IRIS = {
    "formal_educational": "http://adlnet.gov/expapi/activities/course",
    "professional_activity": "http://adlnet.gov/expapi/activities/meeting",
    "work_based": "http://adlnet.gov/expapi/activities/performance",
    "self_directed": "http://adlnet.gov/expapi/activities/module",
    "other": "http://adlnet.gov/expapi/activities/interaction",
}


def iso_duration(hours):
    """Hours as an ISO 8601 duration: 7.5 -> PT7H30M."""
    minutes = int((Decimal(hours) * 60).to_integral_value())
    whole_hours, rest = divmod(minutes, 60)
    return f"PT{whole_hours}H{rest}M" if rest else f"PT{whole_hours}H"


def xapi_statement(record, member, base_iri):
    if record.source_event_id:
        object_iri = f"{base_iri}/events/{record.source_event_id}"
    else:
        object_iri = f"{base_iri}/cpd-records/{record.id}"
    statement = {
        "id": str(uuid.uuid5(XAPI_NAMESPACE, f"{base_iri}/cpd-records/{record.id}")),
        "actor": {"objectType": "Agent", "name": member.full_name, "mbox": f"mailto:{member.email}"},
        "verb": VERB_ATTENDED if record.verified else VERB_COMPLETED,
        "object": {
            "objectType": "Activity",
            "id": object_iri,
            "definition": {
                "name": {"en-GB": record.title},
                "description": {"en-GB": record.description or label(ACTIVITY_TYPES, record.activity_type)},
                "type": ACTIVITY_TYPE_IRIS.get(record.activity_type, ACTIVITY_TYPE_IRIS["other"]),
            },
        },
        "result": {"completion": True, "duration": iso_duration(record.hours)},
        "context": {
            "platform": "CPD and learning platform",
            "extensions": {
                f"{base_iri}/xapi/activity-type": record.activity_type,
                f"{base_iri}/xapi/verified": record.verified,
            },
        },
        "timestamp": datetime.combine(record.ended_on, time(0, 0), tzinfo=timezone.utc).isoformat(),
    }
    if record.learning:
        statement["result"]["response"] = record.learning
    return statement


# --- the PDF profile ------------------------------------------------------------------------

class _ProfilePdf(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 8, f"CPD profile · page {self.page_no()} of {{nb}}", align="C")


def _heading(pdf, text, size=13):
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", size)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)


def _line(pdf, text, size=10, bold=False):
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")


NO_REFLECTION = "⚠ No reflection yet: what was learned, and its benefit to practice and to the users of the work."
DECLARATION = ("I declare that this is a true record of the continuing professional development I undertook in the "
               "period shown, that the reflections are my own, and that I can show evidence of it on request.")


def _standing(summary):
    if summary.met_through_scheme:
        return (f"Meets the policy through {summary.met_through_scheme['organisation']}'s approved employer scheme."
                + (" Against the policy itself:" if summary.shortfalls else ""))
    if summary.advisory:
        return "On track (the policy is guidance)." if summary.on_track else "Not yet on track (the policy is guidance):"
    return "Meets the policy." if summary.compliant else "Does not yet meet the policy:"


def profile_pdf(member, summary, generated_on):
    """A CPD profile fit for an audit: who, the policy summary, and each activity with its reflection."""
    pdf = _ProfilePdf(format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"CPD profile of {member.full_name}")
    pdf.set_author(member.full_name)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()

    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 9, f"CPD profile: {member.full_name}", new_x="LMARGIN", new_y="NEXT")
    _line(pdf, f"Member number {member.id} · {member.email} · "
               f"{label(GRADES, member.grade) if member.grade else 'not a member of the body'}"
               f" · produced {generated_on.strftime('%-d %B %Y')}")
    if member.registrations:
        _line(pdf, "Registrations: " + ", ".join(
            f"{label(REGISTRATION_TITLES, r.title)} ({r.awarded_on.strftime('%-d %b %Y')})"
            for r in member.registrations))

    _heading(pdf, f"Against the {summary.policy_name} policy")
    _line(pdf, f"Period {summary.period_start.strftime('%-d %b %Y')} to {summary.period_end.strftime('%-d %b %Y')}: "
               f"{summary.total:.2f} {summary.unit} counted"
               + (f" of {summary.required:.2f} {'suggested' if summary.advisory else 'required'}"
                  if summary.required is not None else "")
               + f"; {summary.distinct_types} types of activity; {summary.verified_total:.2f} {summary.unit} "
                 f"from recorded attendance; {summary.verifiable_total:.2f} verifiable; {summary.formal_total:.2f} formal.")
    _line(pdf, _standing(summary), bold=True)
    for shortfall in summary.shortfalls:
        _line(pdf, f"• {shortfall}")
    for note in summary.notes:
        _line(pdf, note)
    for exemption in summary.exemptions:
        _line(pdf, f"Exemption applied: {label(EXEMPTION_KINDS, exemption.kind)}, "
                   f"{exemption.starts_on:%-d %b %Y} to {exemption.ends_on:%-d %b %Y}"
                   + (f", {exemption.reduction * 100:.0f}% of the requirement lifted" if exemption.reduction < 1 else "")
                   + (f": {exemption.note}" if exemption.note else ""))
    for topic, amount in summary.by_topic.items():
        _line(pdf, f"{label(TOPICS, topic)}: {amount:.2f} {summary.unit}")
    for activity_type, amount in summary.by_activity_type.items():
        if amount:
            _line(pdf, f"{label(ACTIVITY_TYPES, activity_type)}: {amount:.2f} {summary.unit}")

    _heading(pdf, "Activities and reflections in the period")
    count = 0
    for record in _records(member.id, start=summary.period_start, end=min(summary.period_end, summary.as_of)):
        count += 1
        dates = record.started_on.strftime("%-d %b %Y")
        if record.ended_on != record.started_on:
            dates += " – " + record.ended_on.strftime("%-d %b %Y")
        _line(pdf, f"{dates} · {record.title}", size=11, bold=True)
        _line(pdf, f"{label(ACTIVITY_TYPES, record.activity_type)} · {record.hours:.2f} hours"
                   + (" · verified attendance" if record.verified else "")
                   + (" · formal" if record.formal else "")
                   + (" · claimed verifiable" if record.verifiable and not record.verified else "")
                   + (f" · {', '.join(label(TOPICS, t) for t in record.topics)}" if record.topic_rows else "")
                   + (f" · evidence: {', '.join(e.filename for e in record.evidence)}" if record.evidence else ""))
        for caption, text in (("Description", record.description), ("What I learned", record.learning),
                              ("Benefit to my practice", record.benefit_to_practice),
                              ("Benefit to the users of my work", record.benefit_to_users)):
            if text:
                _line(pdf, f"{caption}: {text}")
        if not record.is_reflected:
            _line(pdf, NO_REFLECTION, bold=True)
        pdf.ln(2)
    if not count:
        _line(pdf, "No activities logged in the period.")

    _heading(pdf, "Declaration")
    _line(pdf, DECLARATION)
    pdf.ln(6)
    _line(pdf, "Signed: ______________________________    Date: ________________")
    return bytes(pdf.output())
