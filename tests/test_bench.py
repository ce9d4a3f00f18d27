"""The benchmark's arithmetic: each round's ratio is taken against its own hello-world run."""

from __future__ import annotations

import pytest

from bench.speed import Measurement, Target


def test_a_round_on_a_slowed_machine_is_compared_with_its_own_hello_world_run():
    # The host slowed to half speed during the second round and stayed slow for the third:
    # two of the three rounds say 0.58; the ratio of the medians would say 0.32.
    measured = Measurement(Target("module page", "/en/module/scope", 0.6),
                           app_rates=(580.0, 300.0, 290.0), hello_rates=(1000.0, 950.0, 500.0),
                           not_200=0)
    assert measured.round_ratios == pytest.approx([0.58, 0.316, 0.58], abs=0.001)
    assert measured.ratio == pytest.approx(0.58)
    assert not measured.met


def test_a_goal_is_met_only_with_every_answer_a_200():
    rates = {"app_rates": (700.0, 700.0, 700.0), "hello_rates": (1000.0, 1000.0, 1000.0)}
    target = Target("quiz page", "/en/quiz/", 0.5)
    assert Measurement(target, **rates, not_200=0).met
    assert not Measurement(target, **rates, not_200=1).met
