"""The rules for every number a trainee types in the workshop, in one place.

A typed number is either used exactly as the rules read it, or not at all: a value that is
mistyped or out of its range is left out of the ranking, the chart, the sensitivity and a
submission, and the field says why. The page's script (`readNumber` in
`static/js/workshop.js`) follows these rules character for character, so that its weight bar
and the server never disagree; `tests/browser/test_number_rules.py` feeds both the same strings.

What is accepted: ASCII or full-width digits (a Chinese input method types ５０), spaces
anywhere, one trailing percent sign, a sign, a decimal point, and commas that group thousands
(1,000). What is not: exponents (1e9), decimal commas (12,5), anything else.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from courseware.workshop.model import MAX_POINTS, MIN_POINTS


@dataclass(frozen=True)
class NumberRule:
    """What one kind of field accepts: whole numbers or not, and the range, with its code."""

    name: str
    whole: bool
    low: float | None = None
    high: float | None = None
    range_code: str = ""

    def to_dict(self) -> dict[str, object]:
        """The rule as the page's script reads it from the field's `data-number` attribute."""
        return {"whole": self.whole, "low": self.low, "high": self.high,
                "code": self.range_code}


WEIGHT = NumberRule("weight", whole=True, low=0, high=100, range_code="weight_range")
SCORE = NumberRule("score", whole=True, low=MIN_POINTS, high=MAX_POINTS,
                   range_code="score_range")
THRESHOLD = NumberRule("threshold", whole=False)
CUTOFF_SCORE = NumberRule("cutoff_score", whole=False, low=0, high=100,
                          range_code="cutoff_score_range")


def cutoff_count(candidate_count: int) -> NumberRule:
    """How many key accounts a "top N" cut-off may name: 1 to every candidate."""
    return NumberRule("cutoff_count", whole=True, low=1, high=candidate_count,
                      range_code="cutoff_top_n_range")


def rules(candidate_count: int) -> tuple[NumberRule, ...]:
    """Every rule of the editor, for a case with this many candidates."""
    return (WEIGHT, SCORE, THRESHOLD, CUTOFF_SCORE, cutoff_count(candidate_count))


# Spaces of every kind a keyboard or a paste brings, full-width included.
_SPACES = re.compile("[ \t\r\n\u00a0\u3000]")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋％", "0123456789.,-+%")
_THOUSANDS = re.compile(r"[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?")
_DECIMAL_COMMA = re.compile(r"[-+]?[0-9]*,[0-9]+")
_PLAIN = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def read_number(raw: str, rule: NumberRule) -> tuple[int | float | None, str | None]:
    """Read a typed number by the rule.

    Returns `(value, None)` for a usable number, `(None, None)` for a blank field and
    `(None, code)` for one that is not usable, `code` naming why (`not_a_number`,
    `decimal_comma`, `not_a_whole_number` or the rule's range code).
    """
    text = _SPACES.sub("", raw.translate(_FULL_WIDTH))
    if not text:
        return None, None
    text = text.removesuffix("%")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(text):
        return None, "decimal_comma"
    if not _PLAIN.fullmatch(text):
        return None, "not_a_number"
    value = float(text)
    if not math.isfinite(value):
        return None, "not_a_number"
    if rule.whole and not value.is_integer():
        return None, "not_a_whole_number"
    if (rule.low is not None and value < rule.low) or (rule.high is not None
                                                        and value > rule.high):
        return None, rule.range_code
    return (int(value) if rule.whole else value), None
