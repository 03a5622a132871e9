"""Learning recorded elsewhere: xAPI statements from the body's learning systems become CPD records.

A `completed` or `passed` statement with hours becomes one verified CPD record for the member its
actor names (by `mbox`, or an account on this platform whose name is the member number), once per
statement id; a voiding statement removes it; a statement for nobody we know is kept for staff to
match. A batch is taken whole or not at all (xAPI 1.0.3, part three, 2.1.2: "if any Statement in
the batch is rejected, the whole batch is rejected")."""
import base64
import hmac
import secrets

import sqlalchemy as sa
from flask import current_app

from cpd.core.errors import Forbidden, NotFound
from cpd.core.models import utcnow
from cpd.core.queries import holds_text
from cpd.core.tokens import digest
from cpd.extensions import db
from cpd.integrations import xapi_statements
from cpd.integrations.models import XapiClient, XapiStatement
from cpd.members.models import Member
from cpd.records import verified as verified_records

CPD_VERBS = ("completed", "passed")
CHUNK = 500  # ids per IN (...): well inside every database's limit on bound values


class BadStatements(Exception):
    """A batch refused whole: {"statements[i].field": [message]}."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message, self.errors = message, errors or {}


# --- clients ------------------------------------------------------------------------------------

def create_client(name):
    """(client, secret): a learning system that may send statements; the secret is shown this once."""
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValueError("Name the learning system (up to 120 characters).")
    if db.session.scalar(sa.select(XapiClient.id).where(XapiClient.name == name)) is not None:
        raise ValueError(f"There is already a client called {name}.")
    secret = secrets.token_urlsafe(32)
    client = XapiClient(name=name, key=f"xapi_{secrets.token_hex(12)}", secret_hash=digest(secret))
    db.session.add(client)
    db.session.flush()
    return client, secret


def client_for(authorization):
    """The active client an `Authorization: Basic ...` header names, or None."""
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        key, _, secret = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    client = db.session.scalar(sa.select(XapiClient).where(XapiClient.key == key, XapiClient.active.is_(True)))
    if client is None or not hmac.compare_digest(client.secret_hash, digest(secret)):
        return None
    return client


# --- taking statements --------------------------------------------------------------------------

def _read_all(sent, now):
    batch = sent if isinstance(sent, list) else [sent]
    if not batch:
        raise BadStatements("Send a statement or a list of statements.")
    statements, errors = [], {}
    for index, raw in enumerate(batch):
        try:
            statements.append(xapi_statements.read(raw, now))
        except xapi_statements.StatementError as error:
            errors[f"statements[{index}].{error.field}"] = [str(error).partition(": ")[2]]
    if errors:
        raise BadStatements("The batch was refused whole: " + "; ".join(f"{field}: {messages[0]}" for field, messages
                                                                      in list(errors.items())[:5]), errors)
    ids = [statement.statement_id for statement in statements]
    if len(set(ids)) != len(ids):
        raise BadStatements("Two statements in the batch have the same id.", {"statements": ["Ids repeat."]})
    return statements


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _already_taken(ids):
    taken = set()
    for chunk in _chunks(ids):
        taken.update(db.session.scalars(sa.select(XapiStatement.statement_id)
                                        .where(XapiStatement.statement_id.in_(chunk))))
    return taken


def _voided_before(ids):
    """Of these ids, those a voiding statement taken earlier named (it arrived first)."""
    voided = set()
    for chunk in _chunks(ids):
        voided.update(db.session.scalars(sa.select(XapiStatement.activity_id).where(
            XapiStatement.verb == "voided", XapiStatement.activity_id.in_(chunk))))
    return voided


def _members_named(statements):
    """{("email", address) or ("account", "homePage|name"): member id} for the actors named."""
    emails = {statement.email for statement in statements if statement.email}
    own_home = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    numbers = {}
    for statement in statements:
        home, _, name = statement.account.partition("|")
        if home.rstrip("/") == own_home and name.isdigit():
            numbers[statement.account] = int(name)
    found = {}
    for chunk in _chunks(emails):
        for member_id, email in db.session.execute(sa.select(Member.id, Member.email).where(
                Member.email.in_(chunk), Member.erased_at.is_(None))):
            found[("email", email)] = member_id
    live = set()
    for chunk in _chunks(set(numbers.values())):
        live.update(db.session.scalars(sa.select(Member.id).where(Member.id.in_(chunk), Member.erased_at.is_(None))))
    found.update({("account", account): number for account, number in numbers.items() if number in live})
    return found


def _member_for(statement, members):
    return members.get(("email", statement.email)) or members.get(("account", statement.account))


def _void(statement_ids):
    """Void the statements with these ids (a voiding statement cannot itself be voided) and remove
    their records."""
    for chunk in _chunks(statement_ids):
        db.session.execute(sa.update(XapiStatement).where(XapiStatement.statement_id.in_(chunk),
                                                          XapiStatement.verb != "voided").values(voided=True))
        verified_records.remove_learning_elsewhere(chunk)


def take(sent, system, now=None):
    """Take one statement or a batch (the parsed JSON) from `system`: (the statement ids in order, how
    many were new). Statements taken before are not taken again. Raises BadStatements (nothing stored)."""
    now = now or utcnow()
    statements = _read_all(sent, now)
    ids = [statement.statement_id for statement in statements]
    taken = _already_taken(ids)
    fresh = [statement for statement in statements if statement.statement_id not in taken]
    voided_earlier = _voided_before([statement.statement_id for statement in fresh])
    voided_now = {statement.activity_id for statement in fresh if statement.verb == "voided"}
    members = _members_named(fresh)
    recorded = set()
    for chunk in _chunks(statement.statement_id for statement in fresh):
        recorded |= verified_records.already_recorded(chunk)
    for statement in fresh:
        member_id = _member_for(statement, members)
        voided = statement.verb != "voided" and statement.statement_id in voided_earlier | voided_now
        db.session.add(XapiStatement(
            statement_id=statement.statement_id, system=system[:120], verb=statement.verb,
            actor_email=statement.email[:320], actor_account=statement.account, activity_id=statement.activity_id,
            activity_name=statement.activity_name, hours=statement.hours, happened_on=statement.happened_on,
            member_id=member_id, voided=voided, statement=statement.raw, received_at=now))
        if (member_id is not None and not voided and _earns_cpd(statement.verb, statement.hours)
                and statement.statement_id not in recorded):
            verified_records.record_learning_elsewhere(member_id, statement.statement_id, system, statement.activity_name,
                                              statement.happened_on, statement.hours)
    db.session.flush()
    if voided_now:
        _void(voided_now)
    return ids, len(fresh)


def _earns_cpd(verb, hours):
    return verb in CPD_VERBS and hours is not None and hours > 0


# --- statements nobody was matched to, for staff ------------------------------------------------

def unmatched_search(text=""):
    """Completions kept because their actor is nobody we know, newest first (staff match them)."""
    query = (sa.select(XapiStatement)
             .where(XapiStatement.member_id.is_(None), XapiStatement.verb.in_(CPD_VERBS),
                    XapiStatement.voided.is_(False))
             .order_by(XapiStatement.received_at.desc(), XapiStatement.id.desc()))
    if text:
        query = query.where(sa.or_(holds_text(XapiStatement.actor_email, text),
                                   holds_text(XapiStatement.activity_name, text)))
    return query


def match(actor, statement_row_id, member_id):
    """Staff name the member an unmatched completion is for; it becomes their CPD record. A member
    of staff never credits their own learning (one person, one role on a case)."""
    statement = db.session.get(XapiStatement, statement_row_id)
    if statement is None or statement.member_id is not None or statement.verb not in CPD_VERBS or statement.voided:
        raise NotFound("No such unmatched statement.")
    member = db.session.get(Member, member_id)
    if member is None or member.erased_at is not None:
        raise NotFound("No such member.")
    if member.id == actor.id:
        raise Forbidden("Another member of staff matches learning of your own.")
    statement.member_id = member.id
    if _earns_cpd(statement.verb, statement.hours) and not verified_records.already_recorded([statement.statement_id]):
        verified_records.record_learning_elsewhere(member.id, statement.statement_id, statement.system,
                                          statement.activity_name, statement.happened_on, statement.hours)
    db.session.flush()
    return statement
