"""Closed years: a past year's measures computed once, stored, and read from then on.

A year's figures depend only on facts dated in or before it (DESIGN, "History"), so once nobody
can still add facts to it they cannot move, and recomputing them over a million CPD records on
every view of the dashboard is waste. Facts do arrive late: CPD done in December is logged in
January (RICS lets members record until 31 January), declarations for the year follow it. So a
year closes only FIGURES_CLOSE_AFTER_DAYS (default 90) after it ends, and is stored by the
schedule's daily round or `flask metrics close`.

Two parts of a year's figures speak of today, not of the year, and are always read live: the
applications standing at each status now, and the year's revalidation (declarations may still be
made, and audit outcomes arrive as cases are decided).

`flask metrics recount --check` recomputes every stored year and fails on any difference, so a
stored figure that drifted from what the facts say cannot go unnoticed; without --check it
restates them. Functions flush, never commit; the caller commits once.
"""
import json
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from cpd.extensions import db
from cpd.metrics.models import ClosedYearFigures

# Measures added after some years were stored: a stored year without one has it computed from the
# facts and added (by the daily round, `flask metrics close`); what was stored never changes.
ADDED_SINCE = (("income",), ("education",), ("training", "with_publications"), ("engagement", "government_by_topic"),
               ("partners",))


def missing_measures(figures):
    """The ADDED_SINCE paths `figures` (a stored year's) lacks."""
    def has(path):
        part = figures
        for key in path:
            if not isinstance(part, dict) or key not in part:
                return False
            part = part[key]
        return True
    return [path for path in ADDED_SINCE if not has(path)]


def with_measures_added(figures, computed, paths):
    """`figures` with each of `paths` taken from `computed` (both dicts as Kpis.as_dict gives)."""
    figures = json.loads(json.dumps(figures))
    for path in paths:
        into, source = figures, computed
        for key in path[:-1]:
            into, source = into.setdefault(key, {}), source[key]
        into[path[-1]] = source[path[-1]]
    return as_stored(figures)


def complete(year, figures):
    """Keep a stored year's figures with the measures added since (stored_at stays: nothing it held moved)."""
    row = db.session.get(ClosedYearFigures, year)
    row.figures = figures
    db.session.flush()


def closes_on(year):
    """The day `year`'s figures close (the setting FIGURES_CLOSE_AFTER_DAYS after it ends)."""
    return date(year + 1, 1, 1) + timedelta(days=int(current_app.config["FIGURES_CLOSE_AFTER_DAYS"]))


def is_closed(year, today):
    return today >= closes_on(year)


def stored_figures(year):
    """The stored figures of a closed year (a dict, as Kpis.as_dict gives), or None."""
    return db.session.scalar(sa.select(ClosedYearFigures.figures).where(ClosedYearFigures.year == year))


def stored_years():
    return db.session.scalars(sa.select(ClosedYearFigures.year).order_by(ClosedYearFigures.year)).all()


def as_stored(figures):
    """The figures as the store gives them back (JSON), so a comparison sees what a reader sees."""
    return json.loads(json.dumps(figures))


def store(year, figures, now):
    """Keep a closed year's figures; a year another process stored meanwhile keeps its own (the
    same facts give the same figures). True when this call stored them."""
    try:
        with db.session.begin_nested():
            db.session.add(ClosedYearFigures(year=year, figures=as_stored(figures), stored_at=now))
    except IntegrityError:
        return False
    return True


def restate(year, figures, now):
    """Replace a stored year's figures with a recomputation (after a correction staff made on purpose)."""
    row = db.session.get(ClosedYearFigures, year)
    row.figures, row.stored_at = as_stored(figures), now
    db.session.flush()


def differences(stored, recomputed, path=""):
    """Every place two figure dicts differ, as 'path: stored → recomputed' lines."""
    if isinstance(stored, dict) and isinstance(recomputed, dict):
        lines = []
        for key in sorted(set(stored) | set(recomputed), key=str):
            lines += differences(stored.get(key), recomputed.get(key), f"{path}.{key}" if path else str(key))
        return lines
    return [] if stored == recomputed else [f"{path}: {stored!r} → {recomputed!r}"]
