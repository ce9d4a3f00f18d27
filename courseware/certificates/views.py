"""The trainee's certificate page and PDF, the trainer's revoke, and the public verification page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_login import current_user

from courseware.auth import guard
from courseware.auth.access import role_required, trainer_cohort_or_404
from courseware.auth.attempts import CERTIFICATE_MISS
from courseware.certificates import store
from courseware.certificates.eligibility import Standing, is_eligible, missing_requirements
from courseware.certificates.pdf import Certificate, Face, FontMissing, Fonts, certificate_pdf
from courseware.certificates.validity import Status
from courseware.db import fetch_all, get_db, utc_now, utc_today, write
from courseware.i18n import current_language
from courseware.loaded_course import get_course
from courseware.trainer.feedback import decisions_settled_before
from courseware.trainer.trainee_record import trainee_in_cohort_or_404

bp = Blueprint("certificates", __name__, url_prefix="/<lang>/certificate")
public = Blueprint("verify", __name__)

REASON_MAX = 300


def _cohort_of(user_id: int) -> dict[str, Any]:
    rows = fetch_all(get_db(), "SELECT cohorts.* FROM cohorts JOIN users ON users.cohort_id = cohorts.id"
                     " WHERE users.id = ?", [user_id])
    if not rows:
        abort(404)
    return rows[0]


def _standing(cohort: dict[str, Any]) -> Standing:
    course = get_course()
    return store.standing(
        get_db(), user_id=current_user.id, cohort=cohort,
        page_ids=[page.id for page in course.pages["en"]],
        max_points=course.areas["rubric"].get("en").max_points,
        settled_before=decisions_settled_before(),
    )


def certificate_offer() -> str | None:
    """For the home page: "issued", "eligible" or None, for the signed-in trainee, once a request."""
    if not current_user.is_authenticated or current_user.role != "trainee":
        return None
    if "certificate_offer" not in g:
        offer = None
        if store.current_certificate(get_db(), current_user.id, utc_today()):
            offer = "issued"
        elif current_user.cohort_id and is_eligible(_standing(_cohort_of(current_user.id))):
            offer = "eligible"
        g.certificate_offer = offer
    return g.certificate_offer


@bp.route("/", methods=["GET", "POST"])
@role_required("trainee")
def index() -> Any:
    """Show what a certificate still needs, or let the trainee get it, or give it to them."""
    cohort = _cohort_of(current_user.id)
    today = utc_today()
    if request.method == "POST":
        # Checked again under the write lock: two clicks at once issue one certificate.
        with write() as db:
            if store.current_certificate(db, current_user.id, today):
                return redirect(url_for("certificates.index"))
            standing = _standing(cohort)
            if not is_eligible(standing):
                flash(_("You have not earned the certificate yet: see what it still needs below."),
                      "error")
                return redirect(url_for("certificates.index"))
            store.issue(
                db, user_id=current_user.id, cohort=cohort, name=current_user.name,
                org_name=cohort["org_name"] or current_app.config["COURSEWARE_ORG_NAME"],
                org_name_zh=cohort["org_name_zh"], grade_percent=standing.best_workshop_percent,
                show_org=request.form.get("show_org") == "on",
                show_grade=request.form.get("show_grade") == "on", today=today)
        flash(_("Your certificate is ready."), "success")
        return redirect(url_for("certificates.index"))
    current = store.current_certificate(get_db(), current_user.id, today)
    missing = () if current else missing_requirements(_standing(cohort))
    return render_template("certificates/index.html", cohort=cohort, certificate=current,
                           missing=[m.value for m in missing],
                           verify_url=verify_url(current.id) if current else None)


@bp.route("/<certificate_id>/choices", methods=["POST"])
@role_required("trainee")
def choices(certificate_id: str) -> Any:
    """Change what the verification page shows besides the name, the course and the dates."""
    with write() as db:
        changed = store.set_choices(db, certificate_id=certificate_id, user_id=current_user.id,
                                    show_org=request.form.get("show_org") == "on",
                                    show_grade=request.form.get("show_grade") == "on")
    if not changed:
        abort(404)
    flash(_("Saved: the verification page shows what you chose."), "success")
    return redirect(url_for("certificates.index"))


@bp.route("/<certificate_id>/<any(en, zh, both):language>.pdf")
@role_required("trainee")
def pdf(certificate_id: str, language: str) -> Any:
    """The trainee's own certificate as a PDF; anyone else's id finds nothing."""
    cert = store.certificate(get_db(), certificate_id)
    if cert is None or cert.user_id != current_user.id:
        abort(404)
    languages = ("en", "zh") if language == "both" else (language,)
    url = verify_url(cert.id)
    try:
        body = certificate_pdf(Certificate(
            name=cert.name, faces=tuple(_face(cert, lang) for lang in languages), verify_url=url),
            Fonts(Path(current_app.config["CERTIFICATE_FONT"]),
                  Path(current_app.config["CERTIFICATE_BOLD_FONT"])))
    except FontMissing:
        current_app.logger.error("certificate font missing", exc_info=True)
        return render_template("certificates/font_missing.html"), 503
    response = make_response(body)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="certificate-{language}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _face(cert: store.StoredCertificate, lang: str) -> Face:
    """The certificate's words in one language, whatever the page's language is."""
    with force_locale(lang):
        org = (cert.org_name_zh or cert.org_name) if lang == "zh" else cert.org_name
        return Face(
            lang=lang,
            title=_("Certificate of Completion"),
            intro=_("This certifies that"),
            completed=_("has completed the course"),
            course=_("Key Account Management"),
            organisation=_("Organisation: %(name)s", name=org) if org else "",
            issued=_("Issued on %(date)s", date=_long_date(cert.issued_on, lang)),
            valid=(_("Valid until %(date)s", date=_long_date(cert.expires_on, lang))
                   if cert.expires_on else ""),
            grade=(_("Workshop grade: %(percent)s%%", percent=cert.grade_percent)
                   if cert.grade_percent is not None else ""),
            verify=_("Check this certificate at"),
        )


def _long_date(day: date | None, lang: str) -> str:
    """The date in words, as the app writes dates: 7 December 2026, 2026年12月7日."""
    if day is None:
        return ""
    return format_date(day, "long" if lang == "zh" else "d MMMM y")


def verify_url(certificate_id: str) -> str:
    """The verification page's full address: on COURSEWARE_BASE_URL when set."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context() and not base:
        return url_for("verify.verify", certificate_id=certificate_id, _external=True)
    return base + url_for("verify.verify", certificate_id=certificate_id).removeprefix(request.script_root)


@bp.route("/revoke/<int:cohort_id>/<int:trainee_id>/<certificate_id>", methods=["POST"])
@role_required("trainer")
def revoke(cohort_id: int, trainee_id: int, certificate_id: str) -> Any:
    """Revoke a certificate of a trainee in one of the trainer's cohorts."""
    trainer_cohort_or_404(cohort_id)
    back = url_for("trainer.trainee", cohort_id=cohort_id, trainee_id=trainee_id, _anchor="certificates")
    reason = (request.form.get("reason") or "").strip()
    if not reason or len(reason) > REASON_MAX:
        flash(_("Say why the certificate is revoked, in at most %(max)s characters.", max=REASON_MAX),
              "error")
        return redirect(back)
    with write() as db:
        person = trainee_in_cohort_or_404(db, cohort_id, trainee_id)
        cert = store.certificate(db, certificate_id)
        if cert is None or cert.user_id != trainee_id:
            abort(404)
        if not store.revoke(db, certificate_id=certificate_id, user_id=trainee_id, reason=reason,
                            trainer_id=current_user.id, now=utc_now()):
            # A second trainer, or a second click, got there first.
            flash(_("This certificate was revoked already."), "info")
            return redirect(back)
    flash(_("The certificate of %(name)s is revoked: its verification page now says so.",
            name=person["name"]), "success")
    return redirect(back)


@public.route("/verify/<certificate_id>")
def verify(certificate_id: str) -> Any:
    """Say whether a certificate is valid, in both languages, showing what the trainee chose."""
    address, moment = guard.client_address(), guard.now()
    if guard.rate_limited(get_db(), CERTIFICATE_MISS, address, moment):
        abort(429)
    cert = store.certificate(get_db(), certificate_id)
    if cert is None:
        with write() as db:
            guard.spend(db, CERTIFICATE_MISS, address, moment)
        abort(404)
    status = cert.status(utc_today())
    revoked_on = date.fromisoformat(cert.revoked_at[:10]) if cert.revoked_at else None
    response = make_response(render_template(
        "certificates/verify.html", cert=cert, status=status.value,
        texts=[_verify_texts(cert, status, revoked_on, lang) for lang in ("en", "zh")]))
    # The page names a person: no shared cache keeps it and no search engine lists it (the
    # app's Referrer-Policy already keeps its secret address from other sites).
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _verify_texts(cert: store.StoredCertificate, status: Status, revoked_on: date | None,
                  lang: str) -> dict[str, str]:
    with force_locale(lang):
        statuses = {Status.VALID: _("Valid"), Status.EXPIRED: _("Expired"), Status.REVOKED: _("Revoked")}
        explanations = {
            Status.VALID: _("This certificate was issued by the course and is valid."),
            Status.EXPIRED: _("This certificate was issued by the course and has expired: "
                              "its holder needs to take the course again to renew it."),
            Status.REVOKED: _("This certificate was revoked by the course's trainer and is no "
                              "longer valid."),
        }
        org = (cert.org_name_zh or cert.org_name) if lang == "zh" else cert.org_name
        return {
            "lang": "zh-Hans" if lang == "zh" else "en",
            "status": statuses[status],
            "explanation": explanations[status],
            "name_label": _("Holder"),
            "course_label": _("Course"),
            "course": _("Key Account Management"),
            "org_label": _("Organisation"),
            "org": org if cert.show_org else "",
            "grade_label": _("Workshop grade"),
            "grade": (f"{cert.grade_percent}%" if cert.show_grade and cert.grade_percent is not None
                      else ""),
            "issued_label": _("Issued"),
            "issued": _long_date(cert.issued_on, lang),
            "expires_label": _("Valid until") if status is not Status.EXPIRED else _("Expired on"),
            # A revoked certificate's planned expiry would read as a promise: left out.
            "expires": (_long_date(cert.expires_on, lang)
                        if cert.expires_on and status is not Status.REVOKED else ""),
            "revoked_label": _("Revoked on"),
            "revoked": _long_date(revoked_on, lang) if revoked_on else "",
        }


def init_app(app: Flask) -> None:
    app.jinja_env.globals["certificate_offer"] = certificate_offer
    app.jinja_env.globals["trainee_certificates"] = lambda user_id: store.certificates_of(get_db(), user_id)
    app.jinja_env.globals["certificate_status"] = lambda cert: cert.status(utc_today()).value
    app.jinja_env.globals["certificate_date"] = lambda day: _long_date(day, current_language())
