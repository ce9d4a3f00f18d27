"""A submitted workshop as the grading page shows it: scored against the case, charted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from courseware.loaded_course import get_course
from courseware.workshop.case import Case
from courseware.workshop.chart import ScoreChart, score_chart
from courseware.workshop.messages import FREQUENCY_LABELS, RESPONSIBILITY_LABELS
from courseware.workshop.model import Workshop
from courseware.workshop.scoring import Evaluation, evaluate


@dataclass(frozen=True)
class SubmissionView:
    """Everything the grading page and the per-submission export show about the work."""

    workshop: Workshop
    case: Case
    evaluation: Evaluation
    chart: ScoreChart
    candidate_names: Mapping[str, str]
    figure_names: Mapping[str, str]
    frequency_names: Mapping[str, str]
    responsibility_names: Mapping[str, str]
    max_key_accounts: int

    @property
    def too_many_key_accounts(self) -> bool:
        """Tell whether the key-account list is longer than the cohort's manageable maximum."""
        return len(self.evaluation.key_account_ids) > self.max_key_accounts

    @property
    def uncovered_labels(self) -> tuple[str, ...]:
        """Return the names of the responsibilities no KPI monitors."""
        return tuple(
            self.responsibility_names.get(key, key)
            for key in self.evaluation.uncovered_responsibilities
        )


def submission_view(submission: Any, cohort: Mapping[str, Any], lang: str) -> SubmissionView:
    """Score the submission against the case in the page's language."""
    case = get_course().areas["workshop"].in_lang(lang)
    workshop = submission.workshop
    evaluation = evaluate(workshop, case.candidates)
    names = {candidate.id: candidate.name for candidate in case.candidates}
    return SubmissionView(
        workshop=workshop,
        case=case,
        evaluation=evaluation,
        chart=score_chart(evaluation.ranking, names, workshop.cutoff),
        candidate_names=names,
        figure_names={figure.id: figure.label for figure in case.figures},
        frequency_names={key: str(label) for key, label in FREQUENCY_LABELS.items()},
        responsibility_names={key: str(label) for key, label in RESPONSIBILITY_LABELS.items()},
        max_key_accounts=cohort["max_key_accounts"],
    )
