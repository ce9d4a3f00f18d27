"""The room's results for each kind of live question: plain functions over plain answers.

Every tally takes the question's option ids (in the order the question shows them) and one
answer per respondent, already checked by the matching `*_problem` function, and returns an
immutable result. Nothing here depends on who answered or in which order.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

DISTRIBUTION_TOTAL = 100
# Closing punctuation that does not change what an answer says: "A management process." and
# "a management process" group together, as do 一个管理流程。 and 一个管理流程.
TRAILING_PUNCTUATION = ".。．!！?？,，、;；:：…~～"


@dataclass(frozen=True)
class OptionCount:
    option_id: str
    count: int


@dataclass(frozen=True)
class ChoiceTally:
    """How many respondents chose each option (each counted once per option)."""

    respondents: int
    counts: tuple[OptionCount, ...]

    def count(self, option_id: str) -> int:
        return next(entry.count for entry in self.counts if entry.option_id == option_id)


def single_choice_tally(option_ids: Sequence[str], answers: Iterable[str]) -> ChoiceTally:
    """Count one chosen option per respondent."""
    return multiple_choice_tally(option_ids, ((answer,) for answer in answers))


def multiple_choice_tally(option_ids: Sequence[str],
                          answers: Iterable[Iterable[str]]) -> ChoiceTally:
    """Count each option once for every respondent who ticked it."""
    counter: Counter[str] = Counter()
    respondents = 0
    for answer in answers:
        respondents += 1
        counter.update(set(answer) & set(option_ids))
    return ChoiceTally(respondents, tuple(OptionCount(option, counter[option])
                                          for option in option_ids))


def choice_problem(option_ids: Sequence[str], chosen: Sequence[str], *, multiple: bool) -> str | None:
    """Why an answer to a choice question cannot count ('empty', 'unknown', 'several'), or None."""
    if not chosen:
        return "empty"
    if any(option not in option_ids for option in chosen) or len(set(chosen)) != len(chosen):
        return "unknown"
    if not multiple and len(chosen) != 1:
        return "several"
    return None


def normal_text(text: str) -> str:
    """The form open answers are grouped by: NFKC, casefolded, one space, no closing punctuation.

    NFKC makes full-width letters, digits and punctuation half-width, so ＫＡＭ groups with
    KAM and Chinese needs no word segmenter: the text is compared whole.
    """
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return folded.rstrip(TRAILING_PUNCTUATION + " ")


@dataclass(frozen=True)
class TextGroup:
    """Open answers that read the same once normalised; `text` is the most frequent spelling."""

    key: str
    text: str
    count: int
    answer_ids: tuple[int, ...]


def open_text_board(answers: Iterable[tuple[int, str]]) -> tuple[TextGroup, ...]:
    """Group (answer id, text) pairs by normalised text, the largest group first.

    Answers that normalise to nothing (only spaces or punctuation) are left off. Ties keep
    the order of the normalised text, so the board does not depend on arrival order.
    """
    spellings: dict[str, Counter[str]] = {}
    ids: dict[str, list[int]] = {}
    for answer_id, text in answers:
        key = normal_text(text)
        if not key:
            continue
        spellings.setdefault(key, Counter())[" ".join(text.split())] += 1
        ids.setdefault(key, []).append(answer_id)
    groups = [
        TextGroup(key, min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0],
                  len(ids[key]), tuple(sorted(ids[key])))
        for key in spellings
    ]
    return tuple(sorted(groups, key=lambda group: (-group.count, group.key)))


def distribution_problem(option_ids: Sequence[str], points: Mapping[str, int]) -> str | None:
    """Why a 100-point answer cannot count ('unknown', 'negative', 'total'), or None."""
    if set(points) - set(option_ids):
        return "unknown"
    if any(value < 0 for value in points.values()):
        return "negative"
    if sum(points.values()) != DISTRIBUTION_TOTAL:
        return "total"
    return None


@dataclass(frozen=True)
class OptionSpread:
    """The room's points for one option: mean, population standard deviation, range."""

    option_id: str
    mean: float
    spread: float
    low: int
    high: int


@dataclass(frozen=True)
class DistributionTally:
    respondents: int
    options: tuple[OptionSpread, ...]


def distribution_tally(option_ids: Sequence[str],
                       answers: Iterable[Mapping[str, int]]) -> DistributionTally:
    """Mean and spread of the points given to each option; an option left out got 0."""
    columns: dict[str, list[int]] = {option: [] for option in option_ids}
    respondents = 0
    for answer in answers:
        respondents += 1
        for option in option_ids:
            columns[option].append(int(answer.get(option, 0)))
    return DistributionTally(respondents, tuple(
        _spread(option, columns[option]) for option in option_ids))


def _spread(option_id: str, values: list[int]) -> OptionSpread:
    if not values:
        return OptionSpread(option_id, 0.0, 0.0, 0, 0)
    # Exact arithmetic: the same answers in any order give the same figures.
    mean = Fraction(sum(values), len(values))
    variance = sum((value - mean) ** 2 for value in values) / len(values)
    return OptionSpread(option_id, float(mean), math.sqrt(variance), min(values), max(values))


def ranking_problem(option_ids: Sequence[str], order: Sequence[str]) -> str | None:
    """Why a ranking cannot count ('incomplete': not every option exactly once), or None."""
    if sorted(order) != sorted(option_ids) or len(set(order)) != len(order):
        return "incomplete"
    return None


@dataclass(frozen=True)
class OptionRank:
    option_id: str
    mean_rank: float  # 1 is first


@dataclass(frozen=True)
class RankingTally:
    """The room's average rank per option, best first, and Kendall's W (None below 2 x 2)."""

    respondents: int
    options: tuple[OptionRank, ...]
    agreement: float | None


def ranking_tally(option_ids: Sequence[str], rankings: Iterable[Sequence[str]]) -> RankingTally:
    """Average rank of each option and the room's agreement, Kendall's coefficient W.

    W = 12 S / (m² (n³ - n)) for m complete rankings of n options without ties, where S is
    the sum of squared deviations of the options' rank sums from their mean: 1 when everyone
    ranks alike, 0 when the rank sums are all equal.
    """
    sums = dict.fromkeys(option_ids, 0)
    raters = 0
    for order in rankings:
        raters += 1
        for position, option in enumerate(order, start=1):
            sums[option] += position
    n = len(option_ids)
    if raters == 0:
        return RankingTally(0, tuple(OptionRank(option, 0.0) for option in option_ids), None)
    options = sorted((OptionRank(option, sums[option] / raters) for option in option_ids),
                     key=lambda entry: (sums[entry.option_id], option_ids.index(entry.option_id)))
    agreement = None
    if raters >= 2 and n >= 2:
        mean_sum = Fraction(raters * (n + 1), 2)
        deviation = sum((Fraction(total) - mean_sum) ** 2 for total in sums.values())
        agreement = float(12 * deviation / (raters ** 2 * (n ** 3 - n)))
    return RankingTally(raters, tuple(options), agreement)
