"""What a draft application carries, each checked here whichever way it comes (the API or the page):
competence statements, referees, qualifications and career history (the evidence of underpinning
knowledge and of experience the Engineering Council's professional review reads first: UK-SPEC,
4th edition, "the candidate's qualifications, training and experience"), and CPD records.

Each cleaner adds its errors under its own field name (`referees.1.email`, `career_history.0.from`)
and returns the cleaned value."""
import re

from cpd.core.limits import EMAIL, NAME, NOTES, Limit, check_text
from cpd.core.text import same_mailbox
from cpd.registration.vocabulary import (QUALIFICATIONS_AT_MOST, REFEREES_AT_MOST, ROLES_AT_MOST,
                                         STATEMENT_LIMIT)

MONTH = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")
AWARD_YEAR = Limit(1950, 2100)
SUMMARY = Limit(0, 2000)


def _each(values, field, at_most, errors, what):
    if not isinstance(values, list) or not all(isinstance(value, dict) for value in values):
        errors[field] = [f"Give the {what} as a list of objects."]
        return []
    if len(values) > at_most:
        errors[field] = [f"At most {at_most} {what}."]
        return []
    return values


def statements(codes, given, errors):
    """{code: text} of the title's competences (an empty text removes one)."""
    if not isinstance(given, dict):
        errors["statements"] = ["Give the statements as {competence code: text}."]
        return {}
    unknown = sorted(set(given) - set(codes))
    if unknown:
        errors["statements"] = [f"Not a competence of this title: {', '.join(unknown)}. "
                                f"Allowed: {', '.join(sorted(codes))}."]
    too_long = sorted(code for code, text in given.items()
                      if not isinstance(text, str) or len(text) > STATEMENT_LIMIT or "\x00" in text)
    if too_long:
        errors.setdefault("statements", []).append(
            f"Each statement is text of at most {STATEMENT_LIMIT} characters: {', '.join(too_long)}.")
    return {code: text.strip() for code, text in given.items() if isinstance(text, str)}


def referees(given, applicant_email, errors):
    """[(name, email)]: each named and reachable, none the applicant (compared by mailbox: case,
    dots and +tags aside) and no two the same person."""
    cleaned = []
    for number, referee in enumerate(_each(given, "referees", REFEREES_AT_MOST, errors, "referees")):
        problems = {}
        name = " ".join(check_text(referee, "name", NAME, problems, label="name").split())
        email = check_text(referee, "email", EMAIL, problems, label="email address").lower()
        if email and not _looks_like_an_address(email):
            problems.setdefault("email", []).append("Give the referee's email address.")
        elif same_mailbox(email, applicant_email):
            problems.setdefault("email", []).append("A referee is someone other than you: this is your own address.")
        elif any(same_mailbox(email, earlier) for _, earlier in cleaned):
            problems.setdefault("email", []).append("Each referee is a different person: this address is given twice.")
        for name_of_field, messages in problems.items():
            errors[f"referees.{number}.{name_of_field}"] = messages
        cleaned.append((name, email))
    return cleaned


def _looks_like_an_address(email):
    local, _, domain = email.rpartition("@")
    return bool(local) and "." in domain and " " not in email and not domain.startswith(".")


def qualifications(given, errors):
    """[{name, awarded_by, year}]."""
    cleaned = []
    for number, entry in enumerate(_each(given, "qualifications", QUALIFICATIONS_AT_MOST, errors, "qualifications")):
        problems = {}
        item = {"name": check_text(entry, "name", NAME, problems, label="qualification"),
                "awarded_by": check_text(entry, "awarded_by", NAME, problems, label="awarding body"),
                "year": entry.get("year")}
        if not isinstance(item["year"], int) or isinstance(item["year"], bool) or \
                not AWARD_YEAR.low <= item["year"] <= AWARD_YEAR.high:
            problems["year"] = [f"The year it was awarded ({AWARD_YEAR.low} to {AWARD_YEAR.high})."]
        for field, messages in problems.items():
            errors[f"qualifications.{number}.{field}"] = messages
        cleaned.append(item)
    return cleaned


def career_history(given, errors):
    """[{role, employer, from, to, summary}], months as YYYY-MM, `to` empty for the role held now."""
    cleaned = []
    for number, entry in enumerate(_each(given, "career_history", ROLES_AT_MOST, errors, "roles")):
        problems = {}
        item = {"role": check_text(entry, "role", NAME, problems, label="role"),
                "employer": check_text(entry, "employer", NAME, problems, label="employer"),
                "from": str(entry.get("from") or "").strip(), "to": str(entry.get("to") or "").strip(),
                "summary": check_text(entry, "summary", SUMMARY, problems, one_line=False)}
        if not MONTH.match(item["from"]):
            problems["from"] = ["The month the role began, as YYYY-MM."]
        if item["to"] and not MONTH.match(item["to"]):
            problems["to"] = ["The month it ended, as YYYY-MM (empty for your current role)."]
        elif item["to"] and MONTH.match(item["from"]) and item["to"] < item["from"]:
            problems["to"] = ["It ends before it began."]
        for field, messages in problems.items():
            errors[f"career_history.{number}.{field}"] = messages
        cleaned.append(item)
    return cleaned


def comment(value, errors, field="comment", limit=NOTES):
    """Free text (several lines) within the limit."""
    return check_text({field: value}, field, limit, errors, one_line=False)
