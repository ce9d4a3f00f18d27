"""The workshop's words in the page's language: problem messages and vocabulary labels."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from courseware.workshop.model import DRAFT, NOT_STARTED, RELEASED, RETURNED, SUBMITTED
from courseware.workshop.numbers import NumberRule
from courseware.workshop.validation import Problem

RESPONSIBILITY_LABELS = {
    "revenue_growth": _l("Revenue growth"),
    "profit_growth": _l("Profit growth"),
    "quality": _l("Quality"),
    "cost": _l("Cost"),
    "on_time": _l("On-time delivery"),
    "relationship": _l("Relationship building"),
    "problem_solving": _l("Problem solving"),
    "forecasting": _l("Forecasting"),
}

FREQUENCY_LABELS = {
    "weekly": _l("Weekly"),
    "monthly": _l("Monthly"),
    "quarterly": _l("Quarterly"),
    "half_yearly": _l("Every six months"),
    "yearly": _l("Yearly"),
}

CATEGORY_LABELS = {
    "customer": _l("Current customer"),
    "lost": _l("Lost account"),
    "target": _l("Target account"),
}

RELATIONSHIP_LABELS = {
    "strong": _l("Strong"),
    "good": _l("Good"),
    "neutral": _l("Neutral"),
    "strained": _l("Strained"),
    "none": _l("None yet"),
}

FACT_LABELS = {
    "launch_partner": _l("Launch partner for new products"),
    "new_region": _l("Opens a new region"),
    "shares_forecasts": _l("Shares forecasts"),
}

# The statuses in each reader's words: the trainee waits for a grade, the trainer has one to give.
STATUS_LABELS = {
    DRAFT: _l("Draft"),
    SUBMITTED: _l("Submitted, waiting for grading"),
    RETURNED: _l("Returned for revision"),
    RELEASED: _l("Graded"),
}
TRAINER_STATUS_LABELS = {
    NOT_STARTED: _l("Not started"),
    DRAFT: _l("Draft"),
    SUBMITTED: _l("Submitted, to grade"),
    RETURNED: _l("Returned"),
    RELEASED: _l("Graded"),
}

_MESSAGES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "required": lambda p: _("Fill this in."),
    "not_a_number": lambda p: _("Enter a number, such as 12 or 7.5."),
    "not_a_whole_number": lambda p: _("Enter a whole number, such as 20."),
    "decimal_comma": lambda p: _("Write decimals with a point, such as 7.5."),
    "weight_range": lambda p: _("A weight is a whole percent from 0 to 100."),
    "weights_sum": lambda p: _("Weights must add up to 100 (now %(sum)s).", sum=p["sum"]),
    "duplicate_name": lambda p: _("Another row already has this name. Give each a name of its "
                                  "own."),
    "too_long": lambda p: _("Shorten this to %(max)s characters (now %(length)s).",
                            max=p["max"], length=p["length"]),
    "too_many_criteria": lambda p: _("Use at most %(max)s criteria. Remove one before adding "
                                     "another.", max=p["max"]),
    "too_few_criteria": lambda p: _("Define at least %(min)s criteria.", min=p["min"]),
    "unknown_figure": lambda p: _("Choose one of the case’s figures."),
    "thresholds_ascending": lambda p: _("When higher is better, each threshold must be higher "
                                        "than the one before."),
    "thresholds_descending": lambda p: _("When lower is better, each threshold must be lower "
                                         "than the one before."),
    "thresholds_required": lambda p: _("Give a threshold for 2, 3, 4 and 5 points."),
    "anchors_required": lambda p: _("Describe all five levels, from 1 to 5."),
    "score_range": lambda p: _("Score from 1 to 5."),
    "scores_required": lambda p: _("Score every candidate on this criterion (%(count)s still "
                                   "to score).", count=p["count"]),
    "cutoff_score_range": lambda p: _("A cut-off score is between 0 and 100."),
    "cutoff_top_n_range": lambda p: _("Choose a whole number from 1 to %(max)s.", max=p["max"]),
    "too_many_kpis": lambda p: _("Use at most %(max)s KPIs. Remove one before adding another.",
                                 max=p["max"]),
    "too_few_kpis": lambda p: _("Define at least %(min)s KPIs.", min=p["min"]),
}


def figure_caption(figure: Any) -> str:
    """Return a case figure's label with its unit, punctuated for the page's language."""
    return _("%(label)s (%(unit)s)", label=figure.label, unit=figure.unit)


def problem_message(problem: Problem) -> str:
    """Return the problem in words, in the page's language."""
    return _MESSAGES[problem.code](problem.params)


def number_messages(rules: Iterable[NumberRule]) -> dict[str, str]:
    """Every message a typed number can get under these rules, for the page's own checks."""
    found = {code: problem_message(Problem("", code))
             for code in ("not_a_number", "decimal_comma", "not_a_whole_number")}
    for rule in rules:
        if rule.range_code:
            found[rule.range_code] = problem_message(
                Problem("", rule.range_code, {"min": rule.low, "max": rule.high}))
    return found


def messages_by_field(problems: Iterable[Problem]) -> dict[str, list[str]]:
    """Group the problems' messages under the form field each belongs to."""
    grouped: dict[str, list[str]] = {}
    for problem in problems:
        message = problem_message(problem)
        if message not in grouped.setdefault(problem.field, []):
            grouped[problem.field].append(message)
    return grouped
