"""Trainer forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

NAME_MAX = 100
ORG_MAX = 100


class CohortForm(FlaskForm):
    name = StringField(_l("Cohort name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    org_name = StringField(
        _l("Organisation name"), validators=[Optional(), Length(max=ORG_MAX)],
        description=_l("Shown in the module and the workshop case. Empty means “the company”."),
    )
    join_code = StringField(
        _l("Join code"),
        validators=[Optional(), Length(min=4, max=32),
                    Regexp(r"^[A-Za-z0-9-]+$",
                           message=_l("Use letters, digits and hyphens only."))],
        description=_l("Leave empty for a new random code."),
    )
