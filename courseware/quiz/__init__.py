"""The module quiz: question bank, grading, attempts, review and trainer statistics."""

from courseware.quiz.views import bp

__all__ = ["bp"]
