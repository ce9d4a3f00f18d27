"""The trainer's desk: cohorts, rubric grading, dashboard, exports; and the trainee's feedback."""
