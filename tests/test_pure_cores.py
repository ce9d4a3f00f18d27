"""The cores a trainer's rules live in import without Flask: plain functions over plain data."""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE_CORES = (
    "courseware.auth.throttle",
    "courseware.certificates.eligibility",
    "courseware.certificates.pdf",
    "courseware.certificates.validity",
    "courseware.content",
    "courseware.content_checks",
    "courseware.quiz.bank",
    "courseware.quiz.scoring",
    "courseware.quiz.statistics",
    "courseware.quiz.shuffle",
    "courseware.trainer.export",
    "courseware.trainer.retention",
    "courseware.trainer.rubric",
    "courseware.trainer.sheet",
    "courseware.trainer.submission_export",
    "courseware.trainer.workflow",
    "courseware.workshop.case",
    "courseware.workshop.chart",
    "courseware.workshop.formdata",
    "courseware.workshop.model",
    "courseware.workshop.scoring",
    "courseware.workshop.validation",
)
WEB_LIBRARIES = ("flask", "werkzeug", "flask_babel", "flask_login", "flask_wtf", "wtforms", "jinja2")


@pytest.mark.parametrize("module", PURE_CORES)
def test_a_core_imports_without_flask(module):
    check = (f"import sys, {module}; "
             f"print(sorted(name for name in {WEB_LIBRARIES!r} if name in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]", f"{module} loads {loaded}"
