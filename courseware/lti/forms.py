"""The registration form: what a platform's administrator reads off the platform's tool page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from courseware.lti.store import origin

URL_MAX = 500


def _http_url(form: FlaskForm, field: Field) -> None:
    if origin(field.data or "") is None:
        raise ValidationError(_l("Enter a full address starting with https:// (or http://)."))


class PlatformForm(FlaskForm):
    issuer = StringField(_l("Issuer (platform ID)"), validators=[DataRequired(), Length(max=URL_MAX)],
                         description=_l("For example https://moodle.example.org"))
    client_id = StringField(_l("Client ID"), validators=[DataRequired(), Length(max=200)])
    deployment_ids = TextAreaField(
        _l("Deployment IDs"), validators=[DataRequired(), Length(max=2000)],
        description=_l("One per line, or separated by commas."))
    auth_login_url = StringField(_l("OIDC authentication URL"),
                                 validators=[DataRequired(), Length(max=URL_MAX), _http_url])
    auth_token_url = StringField(_l("Access token URL"),
                                 validators=[DataRequired(), Length(max=URL_MAX), _http_url])
    key_set_url = StringField(_l("Public keyset URL (JWKS)"),
                              validators=[DataRequired(), Length(max=URL_MAX), _http_url])

    def deployments(self) -> list[str]:
        raw = (self.deployment_ids.data or "").replace(",", "\n")
        return [line.strip() for line in raw.splitlines() if line.strip()]
