"""The module pages: table of contents, pages, side-by-side view, handout, progress."""

from courseware.course.views import bp

__all__ = ["bp"]
