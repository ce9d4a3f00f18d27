"""What the workshop templates need to show a workshop, for this area and the grading page.

The trainer's grading page can show a submission exactly as the trainee saw it:
`render_template("workshop/_workshop_readonly.html",
**review_context(submission.workshop, case_in(submission.lang), cohort_max_key_accounts))`
(inside a page that links `css/workshop.css`).
"""

from __future__ import annotations

from typing import Any

from courseware.loaded_course import get_course
from courseware.workshop import messages
from courseware.workshop.case import Case
from courseware.workshop.chart import score_chart
from courseware.workshop.model import Workshop
from courseware.workshop.scoring import evaluate

DEFAULT_MAX_KEY_ACCOUNTS = 5


def case_in(lang: str) -> Case:
    """Return the workshop case in this language, as loaded at start-up."""
    return get_course().areas["workshop"].in_lang(lang)


def review_context(workshop: Workshop, case: Case, max_key_accounts: int | None) -> dict[str, Any]:
    """Return the template context that shows a workshop's numbers and chart."""
    limit = max_key_accounts or DEFAULT_MAX_KEY_ACCOUNTS
    result = evaluate(workshop, case.candidates)
    names = {candidate.id: candidate.name for candidate in case.candidates}
    return {
        "case": case,
        "workshop": workshop,
        "result": result,
        "names": names,
        "chart": score_chart(result.ranking, names, workshop.cutoff),
        "max_key_accounts": limit,
        "too_many_key_accounts": len(result.key_account_ids) > limit,
        "labels": messages,
    }


def editor_options(case: Case) -> dict[str, Any]:
    """Return the choices the editor's selects offer, in the case's language."""
    other = case_in("zh" if case.lang == "en" else "en")
    return {
        "figure_options": [(f.id, messages.figure_caption(f)) for f in case.figures],
        "frequency_options": list(messages.FREQUENCY_LABELS.items()),
        "responsibility_options": list(messages.RESPONSIBILITY_LABELS.items()),
        "other_case": other,
    }
