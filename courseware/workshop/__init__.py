"""The workshop: selection criteria, key accounts and KPIs (slide 15)."""

from courseware.workshop.views import bp

__all__ = ["bp"]
