"""Trainer forms."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, IntegerField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from courseware.trainer.cohorts import CODE_MIN_LENGTH, join_code_problem

NAME_MAX = 100
ORG_MAX = 100
MAX_KEY_ACCOUNTS_LIMIT = 16  # the case has at most 16 candidates
CODE_MAX = 32

JOIN_CODE_PROBLEMS = {
    "characters": _l("Use the letters A–Z without I, L and O, the digits 2–9 and hyphens: "
                     "look-alikes such as 0 and O are left out so the code is read right."),
    "too_short": _l("Use at least %(min)s letters and digits; hyphens between them do not count.",
                    min=CODE_MIN_LENGTH),
}


class JoinCodeRule:
    """A trainer's own join code follows the rules of the random ones."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        problem = join_code_problem(field.data or "")
        if problem:
            raise ValidationError(JOIN_CODE_PROBLEMS[problem])


def _known_time_zone(_form: FlaskForm, field: StringField) -> None:
    try:
        ZoneInfo((field.data or "").strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_l("Enter a time zone such as Asia/Shanghai or Europe/London.")) from None


class CohortForm(FlaskForm):
    name = StringField(_l("Cohort name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    org_name = StringField(
        _l("Organisation name"), validators=[Optional(), Length(max=ORG_MAX)],
        description=_l("Shown in the module and the workshop case. Empty means “the company”."),
    )
    # A Chinese page says 公司 or the company's Chinese name, never its English one if it has both.
    org_name_zh = StringField(
        _l("Organisation name in Chinese"), validators=[Optional(), Length(max=ORG_MAX)],
        description=_l("Shown on the Chinese pages and in the Chinese column. Empty means the "
                       "name above, or “公司” when that is empty too."),
    )
    join_code = StringField(
        _l("Join code"),
        validators=[Optional(), Length(max=CODE_MAX), JoinCodeRule()],
        description=_l("Leave empty for a new random code."),
    )


class CohortSettingsForm(FlaskForm):
    """The settings a trainer may change for one cohort."""

    name = StringField(_l("Cohort name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    org_name = StringField(
        _l("Organisation name"), validators=[Optional(), Length(max=ORG_MAX)],
        description=_l("Shown in the module and the workshop case. Empty means “the company”."),
    )
    # A Chinese page says 公司 or the company's Chinese name, never its English one if it has both.
    org_name_zh = StringField(
        _l("Organisation name in Chinese"), validators=[Optional(), Length(max=ORG_MAX)],
        description=_l("Shown on the Chinese pages and in the Chinese column. Empty means the "
                       "name above, or “公司” when that is empty too."),
    )
    time_zone = StringField(
        _l("Time zone"), validators=[Optional(), Length(max=64), _known_time_zone],
        description=_l("Every time the cohort’s trainees and trainers read is in this zone, for "
                       "example Asia/Shanghai. Empty means the server’s zone."),
    )
    pass_mark = IntegerField(
        _l("Quiz pass mark (%)"),
        validators=[InputRequired(message=_l("Enter a whole number from 0 to 100.")),
                    NumberRange(min=0, max=100, message=_l("Enter a whole number from 0 to 100."))],
    )
    max_key_accounts = IntegerField(
        _l("Manageable maximum of key accounts"),
        validators=[
            InputRequired(message=_l("Enter a whole number from 1 to %(max)s.",
                                     max=MAX_KEY_ACCOUNTS_LIMIT)),
            NumberRange(min=1, max=MAX_KEY_ACCOUNTS_LIMIT,
                        message=_l("Enter a whole number from 1 to %(max)s.",
                                   max=MAX_KEY_ACCOUNTS_LIMIT)),
        ],
        description=_l("The workshop warns a trainee whose key-account list is longer."),
    )
    certificate_mark = IntegerField(
        _l("Certificate mark for the workshop (%)"),
        validators=[Optional(), NumberRange(min=0, max=100,
                                            message=_l("Enter a whole number from 0 to 100."))],
        description=_l("A trainee who has read every page and passed the quiz gets a certificate "
                       "once a released workshop grade reaches this mark. Empty: no certificates."),
    )
    certificate_months = IntegerField(
        _l("Certificates valid for (months)"),
        validators=[Optional(), NumberRange(min=1, max=120,
                                            message=_l("Enter a whole number from 1 to 120."))],
        description=_l("After this the certificate reads as expired, for recertification. "
                       "Empty: valid for good."),
    )
    certificate_grade = BooleanField(_l("Print the workshop grade on certificates"))
