"""Annual CPD declarations: a registrant declares for a year that they meet the CPD standards.
Functions flush, never commit; the caller commits once."""
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from cpd.core import audit
from cpd.core.errors import Conflict, Forbidden, Invalid
from cpd.core.models import utcnow
from cpd.core.queries import holds_text
from cpd.extensions import db
from cpd.members.history import holds_registration_on, in_membership
from cpd.members.models import Member
from cpd.revalidation.models import Declaration

STATEMENT_LIMIT = 5000


def deadline(year):
    """The day a year's declaration is due (DECLARATION_DEADLINE, MM-DD; 31 December by default)."""
    month, day = (int(part) for part in current_app.config["DECLARATION_DEADLINE"].split("-"))
    return date(year, month, day)


def registered_on(day):
    """SQL: the member holds a registration on `day` (awarded by then and not lapsed)."""
    return holds_registration_on(day)


def is_registrant(member_id, day=None):
    day = day or utcnow().date()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Member).where(
        Member.id == member_id, registered_on(day))) > 0


def declare(member, year, meets_standards, statement):
    if not in_membership(member):
        raise Forbidden("Declarations are for members of the body: your membership has no grade or has ended.")
    if not is_registrant(member.id):
        raise Forbidden("Declarations are for registrants: you hold no professional registration.")
    errors = {}
    this_year = utcnow().year
    if not isinstance(year, int) or not this_year - 1 <= year <= this_year:
        errors["year"] = [f"Declare for {this_year} (or, late, {this_year - 1})."]
    if meets_standards is not True:
        # A declaration is the statement that one meets the standards (HCPC: "sign a declaration
        # confirming that you continue to meet our standards"); one who does not, does not declare.
        errors["meets_standards"] = ["Tick the declaration that you meet the CPD standards: a declaration "
                                     "is recorded only when you confirm that you do."]
    statement = statement if isinstance(statement, str) else ""
    if len(statement) > STATEMENT_LIMIT or "\x00" in statement:
        errors["statement"] = [f"At most {STATEMENT_LIMIT} characters."]
    if errors:
        raise Invalid.from_fields(errors)
    if db.session.scalar(sa.select(Declaration.id).where(Declaration.member_id == member.id, Declaration.year == year)):
        raise Conflict(f"You have already declared for {year}.")
    declaration = Declaration(member_id=member.id, year=year, meets_standards=meets_standards,
                              statement=statement.strip())
    db.session.add(declaration)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        raise Conflict(f"You have already declared for {year}.") from None
    audit.record(member, "declaration.made", "declaration", declaration.id, year=year)
    return declaration


def declarations_of(member_id):
    return db.session.scalars(sa.select(Declaration).where(Declaration.member_id == member_id)
                              .order_by(Declaration.year.desc())).all()


def overdue_after(year):
    """The day after which a registrant not declared for `year` is overdue (DECLARATION_GRACE_DAYS)."""
    return deadline(year) + timedelta(days=current_app.config["DECLARATION_GRACE_DAYS"])


def declaration_counts(year):
    """(registrants who declared for `year`, registrants): counted by the database, never from a page."""
    rows = registrants_for(year).subquery()
    declared, everyone = db.session.execute(sa.select(sa.func.count(rows.c.declared_at), sa.func.count())
                                            .select_from(rows)).one()
    return declared, everyone


def registrants_for(year, name=None):
    """Every registrant, with whether and when they declared for `year`: a select() of rows."""
    day = min(deadline(year), utcnow().date())
    declared = (sa.select(Declaration.member_id, Declaration.declared_at).where(Declaration.year == year)
                .subquery())
    return (sa.select(Member.id.label("member_id"), Member.full_name, declared.c.declared_at)
            .outerjoin(declared, declared.c.member_id == Member.id)
            .where(Member.role == "member", Member.erased_at.is_(None), registered_on(day),
                   sa.or_(Member.left_on.is_(None), Member.left_on > day))
            .where(*([holds_text(Member.full_name, name)] if name else []))
            .order_by(declared.c.declared_at.is_not(None), Member.full_name, Member.id))
