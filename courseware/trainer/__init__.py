"""The trainer's desk: cohorts, grading, dashboard, exports."""

from courseware.trainer.views import bp

__all__ = ["bp"]
