"""The benchmark's arithmetic: each round against its own hello-world run, per second of CPU the
machine had."""

from __future__ import annotations

import pytest

from bench.speed import Measurement, Target, cpu_times, stolen_share


def test_a_round_on_a_slowed_machine_is_compared_with_its_own_hello_world_run():
    # The host slowed to half speed during the second round and stayed slow for the third:
    # two of the three rounds say 0.58; the ratio of the medians would say 0.32.
    measured = Measurement(Target("module page", "/en/module/scope"),
                           app_rates=(580.0, 300.0, 290.0), hello_rates=(1000.0, 950.0, 500.0),
                           not_200=0)
    assert measured.round_ratios == pytest.approx([0.58, 0.316, 0.58], abs=0.001)
    assert measured.ratio == pytest.approx(0.58)


def test_a_run_the_host_took_cpu_from_counts_the_cpu_the_machine_had():
    # In the second round the host gave a fifth of the machine's CPU time to other guests
    # while the page was loaded: measured per second of the clock it would say 0.48.
    measured = Measurement(Target("module page", "/en/module/scope"),
                           app_rates=(610.0, 480.0, 620.0), hello_rates=(1000.0, 1000.0, 1000.0),
                           not_200=0, app_stolen=(0.0, 0.2, 0.0), hello_stolen=(0.0, 0.0, 0.0))
    assert measured.round_ratios == pytest.approx([0.61, 0.6, 0.62])
    assert measured.raw_ratio == pytest.approx(0.61)
    assert measured.stolen == pytest.approx(0.2)


def test_the_share_the_host_took_comes_from_two_readings_of_the_cpu_times():
    #          user nice system idle iowait irq softirq steal
    before = (1000, 0, 200, 500, 0, 0, 10, 40)
    after = (1600, 0, 300, 500, 0, 0, 30, 120)  # 800 ticks spent, 80 of them stolen
    assert stolen_share(before, after) == pytest.approx(0.1)
    assert stolen_share((), after) == 0.0  # no /proc/stat: nothing is corrected
    assert stolen_share(before, before) == 0.0


def test_the_cpu_times_are_read_where_linux_gives_them():
    times = cpu_times()
    if not times:
        pytest.skip("no /proc/stat on this machine")
    assert len(times) == 8 and all(ticks >= 0 for ticks in times)
