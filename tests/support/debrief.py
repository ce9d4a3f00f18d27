"""A room of trainees with workshops that agree on some candidates and not on others."""

from __future__ import annotations

from courseware.auth.users import create_user
from courseware.db import connect
from courseware.workshop.model import Criterion, Cutoff, FigureMeasure, JudgementMeasure, Workshop
from courseware.workshop.store import submit
from tests.support.workshop import CANDIDATE_IDS


def workshop_choosing(first: str, second: str, revenue_weight: int = 60) -> Workshop:
    """A workshop whose top two are `first` and `second` by judgement, then revenue decides."""
    scores = {candidate_id: 1 for candidate_id in CANDIDATE_IDS} | {first: 5, second: 5}
    return Workshop(
        criteria=(
            Criterion("Revenue", weight=revenue_weight,
                      measure=FigureMeasure("revenue", "higher", (10.0, 30.0, 60.0, 100.0))),
            Criterion("Fit", weight=100 - revenue_weight,
                      measure=JudgementMeasure(("a", "b", "c", "d", "e"), scores)),
        ),
        cutoff=Cutoff("top_n", 3),
    )


def add_trainee(app, cohort_id, name):
    db = connect(app.config["DATABASE"])
    try:
        with db.conn:
            return create_user(db, email=f"{name.lower()}@example.com", name=name,
                               role="trainee", cohort_id=cohort_id,
                               password_hash="not-used-to-sign-in")
    finally:
        db.close()


def hand_in(app, user_id, cohort_id, workshop):
    db = connect(app.config["DATABASE"])
    try:
        with db.conn:
            return submit(db, user_id=user_id, cohort_id=cohort_id, workshop=workshop,
                          lang="en", base_version=0, revision=0).id
    finally:
        db.close()
