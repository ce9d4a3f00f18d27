"""Forms for signing in, joining a cohort and changing the password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from courseware.auth.passwords import MAX_LENGTH, MIN_LENGTH, is_common

EMAIL_MAX = 254
NAME_MAX = 100
CODE_MAX = 32


class StrongPassword:
    """At least MIN_LENGTH characters, at most MAX_LENGTH, and not a well-known password."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        password = field.data or ""
        if len(password) < MIN_LENGTH:
            raise ValidationError(
                _l("Use at least %(min)s characters.", min=MIN_LENGTH))
        if len(password) > MAX_LENGTH:
            raise ValidationError(
                _l("Use at most %(max)s characters.", max=MAX_LENGTH))
        if is_common(password):
            raise ValidationError(
                _l("This password is too common and easy to guess; choose another."))


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=EMAIL_MAX)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])


class JoinForm(FlaskForm):
    join_code = StringField(
        _l("Join code"), validators=[DataRequired(), Length(max=CODE_MAX)],
        description=_l("Your trainer gives you this code, e.g. KAM-7XQ4-M2PH."),
    )
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=EMAIL_MAX)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), StrongPassword()],
        description=_l("At least %(min)s characters.", min=MIN_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ResetPasswordForm(FlaskForm):
    """A new password, typed twice: from a reset link, or (with the current one) when changing."""

    password = PasswordField(
        _l("New password"), validators=[DataRequired(), StrongPassword()],
        description=_l("At least %(min)s characters.", min=MIN_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(ResetPasswordForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=EMAIL_MAX)])
