"""Options are shuffled per attempt and stay put when the page is drawn again."""

from pathlib import Path

from courseware.content import load_area
from courseware.quiz.shuffle import shuffled_options

QUIZ = load_area(Path(__file__).resolve().parent.parent / "content", "quiz")
QUESTION = QUIZ.bank("en").get("selection-criteria")


def test_same_attempt_seed_gives_the_same_order_every_time():
    assert shuffled_options(QUESTION, "seed-1") == shuffled_options(QUESTION, "seed-1")


def test_different_attempts_see_different_orders():
    orders = {tuple(o.id for o in shuffled_options(QUESTION, f"seed-{n}")) for n in range(20)}
    assert len(orders) > 1
    assert all(sorted(order) == sorted(o.id for o in QUESTION.options) for order in orders)


def test_both_languages_shuffle_alike_so_switching_keeps_the_layout():
    english = [o.id for o in shuffled_options(QUESTION, "seed-7")]
    chinese = [o.id for o in shuffled_options(QUIZ.bank("zh").get("selection-criteria"), "seed-7")]
    assert english == chinese
