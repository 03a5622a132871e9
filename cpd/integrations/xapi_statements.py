"""Reading an xAPI 1.0.3 statement: what of it becomes CPD, and the errors that refuse it.

The parts used (xAPI 1.0.3, part two, "Experience API Data"; section 2.4): the actor (an Agent
identified by `mbox` or `account`; 2.4.2.3), the verb's IRI (2.4.3), the object (an Activity, or a
StatementRef for a voiding statement; 2.4.4, 2.4.8), `result.duration` (ISO 8601, 2.4.5) or our
CPD-hours extension in `result.extensions`, and `timestamp` (2.4.7). Anything else the statement
says is kept as sent and not read."""
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
VERBS = {COMPLETED: "completed", PASSED: "passed", VOIDED: "voided"}

# A learning system that knows the CPD hours an activity earns (rather than the time it took) says
# so under this key of `result.extensions`, in hours.
CPD_HOURS_EXTENSION = "https://w3id.org/cpd-platform/xapi/cpd-hours"

# ISO 8601 durations as xAPI uses them (2.4.5): weeks, days and time; years and months are not a
# fixed number of hours, so a statement that uses them cannot be turned into CPD hours.
_DURATION = re.compile(r"^P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
                       r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
                       r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$")
_HOURS_PER = {"weeks": Decimal(168), "days": Decimal(24), "hours": Decimal(1), "minutes": Decimal(1) / 60,
              "seconds": Decimal(1) / 3600}
MOST_HOURS = Decimal("999")


class StatementError(ValueError):
    """A statement we cannot take; `field` names the part that is wrong."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass
class Statement:
    statement_id: str
    verb: str  # completed | passed | voided
    email: str  # from mbox, lower-cased, or ""
    account: str  # "homePage|name", or ""
    activity_id: str  # the activity's IRI, or for a voiding statement the statement it voids
    activity_name: str
    hours: Decimal | None
    happened_on: date
    raw: dict


def duration_hours(text):
    """An ISO 8601 duration as hours, to two places (half up); StatementError if it is not one."""
    found = _DURATION.match(text or "") if isinstance(text, str) else None
    if not found or text in ("P", "PT") or text.endswith("T"):
        raise StatementError("result.duration", f"{text!r} is not an ISO 8601 duration of weeks, days, hours, "
                                                "minutes and seconds (for example PT1H30M).")
    total = sum(Decimal(value) * _HOURS_PER[unit] for unit, value in found.groupdict().items() if value)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _language_map_text(names):
    if not isinstance(names, dict) or not names:
        return ""
    for language in ("en-GB", "en", "en-US"):
        if isinstance(names.get(language), str):
            return names[language]
    first = next(iter(names.values()))
    return first if isinstance(first, str) else ""


def _actor(statement):
    actor = statement.get("actor")
    if not isinstance(actor, dict):
        raise StatementError("actor", "Every statement needs an actor.")
    mbox, account = actor.get("mbox"), actor.get("account")
    email = ""
    if mbox is not None:
        if not isinstance(mbox, str) or not mbox.lower().startswith("mailto:") or "@" not in mbox:
            raise StatementError("actor.mbox", "An mbox is mailto: and an email address.")
        email = mbox[len("mailto:"):].strip().lower()
    account_key = ""
    if account is not None:
        if not isinstance(account, dict) or not account.get("homePage") or not account.get("name"):
            raise StatementError("actor.account", "An account has a homePage and a name.")
        account_key = f"{account['homePage']}|{account['name']}"[:300]
    if not email and not account_key:
        if actor.get("mbox_sha1sum") or actor.get("openid"):
            raise StatementError("actor", "Identify the member by mbox or account: a hashed mbox or an OpenID "
                                          "cannot be matched to a member.")
        raise StatementError("actor", "The actor has no mbox or account.")
    return email, account_key


def _verb(statement):
    verb = statement.get("verb")
    if not isinstance(verb, dict) or not isinstance(verb.get("id"), str):
        raise StatementError("verb", "Every statement needs a verb with an id.")
    if verb["id"] not in VERBS:
        raise StatementError("verb.id", f"{verb['id']} is not a verb this platform takes: send completed, passed "
                                        f"or voided ({', '.join(VERBS)}).")
    return VERBS[verb["id"]]


def _statement_id(statement):
    given = statement.get("id")
    if given is None:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(str(given)))
    except ValueError:
        raise StatementError("id", f"{given!r} is not a UUID.") from None


def _timestamp_date(statement, now):
    stamp = statement.get("timestamp")
    if stamp is None:
        return now.date()
    try:
        moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        raise StatementError("timestamp", f"{stamp!r} is not an ISO 8601 timestamp.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    if moment > now:
        raise StatementError("timestamp", "The timestamp is in the future.")
    return moment.date()


def _hours(statement):
    result = statement.get("result")
    if result is None:
        return None
    if not isinstance(result, dict):
        raise StatementError("result", "The result is an object.")
    extensions = result.get("extensions") or {}
    if CPD_HOURS_EXTENSION in extensions:
        try:
            hours = Decimal(str(extensions[CPD_HOURS_EXTENSION])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        except ArithmeticError:
            raise StatementError("result.extensions", "The CPD hours are a number.") from None
    elif "duration" in result:
        hours = duration_hours(result["duration"])
    else:
        return None
    if not hours.is_finite() or hours < 0 or hours > MOST_HOURS:
        raise StatementError("result", f"The hours are between 0 and {MOST_HOURS}.")
    return hours


def read(statement, now):
    """A Statement from one xAPI statement (a dict); StatementError naming what is wrong."""
    if not isinstance(statement, dict):
        raise StatementError("statement", "A statement is a JSON object.")
    statement_id, verb = _statement_id(statement), _verb(statement)
    email, account = _actor(statement)
    target = statement.get("object")
    if not isinstance(target, dict) or not isinstance(target.get("id"), str):
        raise StatementError("object", "Every statement needs an object with an id.")
    kind = target.get("objectType", "Activity")
    if verb == "voided":
        if kind != "StatementRef":
            raise StatementError("object.objectType", "A voiding statement's object is a StatementRef.")
        try:
            voids = str(uuid.UUID(target["id"]))
        except ValueError:
            raise StatementError("object.id", "A StatementRef's id is a statement's UUID.") from None
        return Statement(statement_id, verb, email, account, voids, "", None, _timestamp_date(statement, now),
                         {**statement, "id": statement_id})
    if kind != "Activity":
        raise StatementError("object.objectType", "The object of a completion is an Activity.")
    name = _language_map_text((target.get("definition") or {}).get("name")) or target["id"]
    return Statement(statement_id, verb, email, account, target["id"][:500], name[:200], _hours(statement),
                     _timestamp_date(statement, now), {**statement, "id": statement_id})
