"""The trainer's desk: cohorts, grading, dashboard, exports; and the trainee's feedback."""

from courseware.trainer.feedback import bp as feedback_bp
from courseware.trainer.views import bp

__all__ = ["bp", "feedback_bp"]
