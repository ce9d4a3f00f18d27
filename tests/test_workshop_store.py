"""The draft store: what a save checks, in every state a trainee's workshop can be in."""

from __future__ import annotations

import json

import pytest

from courseware.db import connect
from courseware.workshop.model import Criterion, Workshop
from courseware.workshop.store import (
    SaveRefused,
    position,
    save_draft,
    submit,
    trainee_workshop,
)

WORKSHOP = Workshop(criteria=(Criterion(name="Revenue", weight=100),), justification="Why")


@pytest.fixture
def db(app):
    database = connect(app.config["DATABASE"])
    yield database
    database.close()


def agrees(db, user_id: int) -> None:
    state = trainee_workshop(db, user_id)
    lean = position(db, user_id)
    assert (lean.editable, lean.base_version, lean.revision) == (
        state.editable, state.base_version, state.revision)


def save(db, ids, revision: int, base_version: int = 0):
    return save_draft(db, user_id=ids["trainee"], cohort_id=ids["cohort"], workshop=WORKSHOP,
                      unparsed={"cutoff-value": "4,5"}, base_version=base_version,
                      revision=revision)


def set_status(db, status: str) -> None:
    db.execute("UPDATE workshop_submissions SET status = ?", [status])


def test_the_position_a_save_checks_agrees_with_the_full_workshop_in_every_state(db, ids):
    user = ids["trainee"]
    agrees(db, user)  # nothing saved yet
    assert save(db, ids, 0).revision == 1
    agrees(db, user)
    submit(db, user_id=user, cohort_id=ids["cohort"], workshop=WORKSHOP, lang="en",
           base_version=0, revision=1)
    agrees(db, user)  # submitted: frozen
    set_status(db, "returned")
    agrees(db, user)  # handed back: editable again, from revision 0
    assert save(db, ids, 0, base_version=1).revision == 1
    agrees(db, user)
    set_status(db, "released")
    agrees(db, user)


def test_a_draft_left_from_before_the_latest_version_is_not_this_rounds_draft(db, ids):
    user = ids["trainee"]
    submit(db, user_id=user, cohort_id=ids["cohort"], workshop=WORKSHOP, lang="en",
           base_version=0, revision=0)
    set_status(db, "returned")
    db.execute("INSERT INTO workshop_drafts (user_id, cohort_id, base_version, revision, "
               "workshop, updated_at) VALUES (?, ?, 0, 7, '{}', 'then')", [user, ids["cohort"]])
    agrees(db, user)
    assert position(db, user).revision == 0
    assert save(db, ids, 0, base_version=1).revision == 1


@pytest.mark.parametrize(("base_version", "revision", "reason"),
                         [(0, 0, "conflict"), (0, 2, "conflict"), (1, 1, "stale")])
def test_a_save_that_is_not_current_is_refused_and_stores_nothing(db, ids, base_version,
                                                                   revision, reason):
    save(db, ids, 0)
    with pytest.raises(SaveRefused) as refused:
        save(db, ids, revision, base_version=base_version)
    assert refused.value.reason == reason
    assert db.execute("SELECT revision FROM workshop_drafts").fetchall() == [(1,)]


def test_a_save_stores_the_workshop_and_the_mistyped_numbers(db, ids):
    save(db, ids, 0)
    draft = save(db, ids, 1)
    assert draft.revision == 2
    stored = trainee_workshop(db, ids["trainee"]).draft
    assert stored == draft
    row = db.execute("SELECT cohort_id, unparsed, workshop FROM workshop_drafts").fetchone()
    assert row[0] == ids["cohort"]
    assert json.loads(row[1]) == {"cutoff-value": "4,5"}
    assert Workshop.from_dict(json.loads(row[2])) == WORKSHOP


def test_a_frozen_version_refuses_a_draft(db, ids):
    submit(db, user_id=ids["trainee"], cohort_id=ids["cohort"], workshop=WORKSHOP, lang="en",
           base_version=0, revision=0)
    with pytest.raises(SaveRefused) as refused:
        save(db, ids, 0, base_version=1)
    assert refused.value.reason == "frozen"
