"""The sensitivity's weight move in exact fractions: the oracle the whole-number version in
courseware.workshop.scoring is checked against."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def shift_weight(
    weights: Sequence[int | Fraction], index: int, delta: int
) -> tuple[Fraction, ...] | None:
    """Move one weight by `delta`, the others giving or taking it in proportion.

    The total stays the same and no weight goes below 0; returns None when the
    weight cannot move (already at 0 or at the total, or no other weight to
    trade with).
    """
    total = sum(weights, Fraction(0))
    current = Fraction(weights[index])
    target = min(max(current + delta, Fraction(0)), total)
    moved_by = target - current
    rest = total - current
    if moved_by == 0 or rest == 0:
        return None
    return tuple(
        target if j == index else Fraction(weight) - moved_by * Fraction(weight) / rest
        for j, weight in enumerate(weights)
    )
