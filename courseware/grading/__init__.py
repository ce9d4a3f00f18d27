"""Pure grading core: the rubric, grade sheets, the grading rules and CSV exports (no Flask)."""
