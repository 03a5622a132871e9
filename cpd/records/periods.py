"""The periods a CPD policy measures over: a calendar year or a rolling window, the days whose
activity counts on a given day, a topic's own window, and the day a shortfall is to be made up by."""
from datetime import date, datetime, time, timedelta, timezone


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30,
                31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last_day))


def period_for(policy, as_of):
    """The period the policy measures on `as_of`: (first day, last day), both included."""
    if policy.period_kind == "calendar_year":
        return date(as_of.year, 1, 1), date(as_of.year, 12, 31)
    return add_months(as_of, -policy.period_months) + timedelta(days=1), as_of


def counting_window(policy, as_of):
    """The days whose activity counts on `as_of`: the period, cut at `as_of` (nothing later counts)."""
    start, end = period_for(policy, as_of)
    return start, min(end, as_of)


def topic_starts(policy, as_of):
    """{topic: the first day its hours count}: a topic with a window of its own (RICS: ethics within
    three rolling years) looks back that far; any other, over the policy's period."""
    start, _ = period_for(policy, as_of)
    return {topic: (add_months(as_of, -int(policy.topic_windows[topic])) + timedelta(days=1)
                    if topic in (policy.topic_windows or {}) else start)
            for topic in {**(policy.topic_minimums or {}), **(policy.academic_topic_minimums or {})}}


def deadline_for(policy, as_of, member_since=None):
    """The date a shortfall is to be made up by, in words. A calendar year: its last day (and the
    last day to record it, where the body allows days of grace). A rolling window ends every day, so
    "by today" helps nobody: someone who started within the window has until their first full
    window closes; anyone else is short now."""
    start, end = period_for(policy, as_of)
    if policy.period_kind == "calendar_year" and policy.record_by:
        # RICS: done within the calendar year, recorded by 31 January.
        return f"by {end:%-d %b %Y} (recorded by {record_by_date(policy, end):%-d %b %Y})"
    if policy.period_kind == "calendar_year":
        return f"by {end:%-d %b %Y}"
    if member_since is not None and start < member_since <= as_of:
        return f"by {add_months(member_since, policy.period_months) - timedelta(days=1):%-d %b %Y}"
    return f"within the {policy.period_months} months to {end:%-d %b %Y}"


def record_by_date(policy, period_end):
    return period_end + timedelta(days=policy.record_by or 0)


NEVER = datetime(9999, 1, 1, tzinfo=timezone.utc)


def recorded_before(policy, as_of):
    """The moment a record must have been made before to count for the period `as_of` falls in: for
    a policy with days to record (RICS: "recorded by 31 January" for the calendar year's hours), the
    start of the day after the last day to record; for any other, never a limit."""
    if not policy.record_by:
        return NEVER
    _, end = period_for(policy, as_of)
    return datetime.combine(record_by_date(policy, end) + timedelta(days=1), time(0), timezone.utc)
