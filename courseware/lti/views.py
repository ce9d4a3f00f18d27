"""The LTI tool's pages: JWKS, OIDC login, launch, the new-window hand-off, deep linking,
registration, and the trainer's platform courses (cohort link, roster, grades sent)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, refresh
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from courseware.auth.access import role_required, trainer_cohort_or_404
from courseware.db import get_db, write
from courseware.i18n import DEFAULT_LANGUAGE, HTML_LANG, LANGUAGES, current_language
from courseware.loaded_course import get_course
from courseware.lti import adapter, keys, passback, store
from courseware.lti.claims import (
    DEEP_LINKING,
    LaunchClaims,
    MissingClaim,
    Target,
    claims_from,
    language_of,
    target_of,
)
from courseware.lti.forms import PlatformForm
from courseware.security import allow_form_action, cross_site_allowed
from courseware.trainer.cohorts import cohorts_of_trainer

bp = Blueprint("lti", __name__)

# An account made by a launch signs in through its platform only: no password matches this.
NO_PASSWORD = "!lti-no-password"  # noqa: S105 # nosec B105: a marker, not a hash nor a password
LIVE_SESSION_ENDPOINT = "live.session"  # the live session's page, when that area is installed

ERRORS: dict[str, tuple[Any, Any]] = {
    "expired": (_l("This launch has expired"),
                _l("The link from your learning platform is valid for a few minutes only. Go back "
                   "to the platform and open the course again.")),
    "unknown_platform": (_l("This learning platform is not registered"),
                         _l("The course does not know the platform that sent you. Ask your trainer "
                            "to register it on the course's LMS page.")),
    "wrong_audience": (_l("This launch was meant for another tool"),
                       _l("The platform sent a launch for a client ID the course is not registered "
                          "with. Ask your trainer to check the client ID.")),
    "unknown_deployment": (_l("This deployment is not registered"),
                           _l("The platform's deployment of the course is not in its registration. "
                              "Ask your trainer to add the deployment ID.")),
    "replayed": (_l("This launch was already used"),
                 _l("Each launch from the platform works once. Go back to the platform and open the "
                    "course again.")),
    "state": (_l("Your browser did not keep the launch's cookie"),
              _l("This happens when the browser blocks cookies inside the platform's page. Open the "
                 "course in a new window.")),
    "signature": (_l("The launch's signature could not be checked"),
                  _l("The platform's signature does not match its published keys. Ask your trainer "
                     "to check the public keyset URL.")),
    "unreachable": (_l("The learning platform did not answer"),
                    _l("The course could not reach the platform to check the launch. Try again in "
                       "a moment.")),
    "missing_claims": (_l("The launch lacks information the course needs"),
                       _l("The platform did not say who you are or which course this is. Ask your "
                          "trainer to check the tool's privacy settings in the platform.")),
    "invalid": (_l("This launch could not be accepted"),
                _l("Go back to the platform and open the course again.")),
}


def _keys_dir() -> Path:
    return Path(current_app.config["LTI_KEYS_DIR"])


def _storage() -> adapter.SQLiteLaunchStorage:
    return adapter.SQLiteLaunchStorage(get_db(), current_app.config["CLOCK"])


def _platform_records() -> list[adapter.PlatformRecord]:
    return store.records(store.platforms(get_db()))


def use_language(lang: str) -> None:
    """Serve this page (whose address names no language) in the launch's language."""
    g.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    refresh()


def error_page(kind: str, lang: str, status: int = 400, restart: str | None = None) -> Any:
    """The page for a refused login or launch, in both languages, the launch's first: who
    reads it may not have chosen a language yet."""
    use_language(lang)
    title, hint = ERRORS.get(kind, ERRORS["invalid"])
    versions = []
    for version_lang in sorted(LANGUAGES, key=lambda each: each != g.lang):
        with force_locale(version_lang):
            versions.append({"html_lang": HTML_LANG[version_lang], "title": str(title),
                             "hint": str(hint), "open_new": _("Open in a new window")})
    return render_template("lti/error.html", versions=versions, kind=kind,
                           restart=restart), status


@bp.route("/lti/jwks.json")
def jwks() -> Any:
    keys.signing_key(_keys_dir())  # made on first use, so the set is never empty
    response = jsonify(keys.jwks(_keys_dir()))
    response.headers["Cache-Control"] = "public, max-age=300"  # public keys, the same for all
    return response


@bp.route("/lti/login", methods=["GET", "POST"])
@cross_site_allowed
def login() -> Any:
    """The platform's third-party login initiation: answer with the OIDC redirect."""
    params = request.values
    carried = {name: params[name] for name in
               ("iss", "login_hint", "target_link_uri", "lti_message_hint", "lti_deployment_id",
                "client_id") if params.get(name)}
    try:
        return adapter.start_login(_platform_records(), keys.signing_key(_keys_dir()), _storage(),
                                   url_for("lti.launch", _external=True), carried)
    except adapter.LtiError as error:
        return error_page(error.kind, current_language())


@bp.route("/lti/launch", methods=["POST"])
@cross_site_allowed
def launch() -> Any:
    """Validate the platform's id token, then sign its user in and open the target."""
    records = _platform_records()
    storage = _storage()
    try:
        validated = adapter.validate_launch(records, keys.signing_key(_keys_dir()), storage)
        claims = claims_from(validated.body, tuple(get_course().page_ids()))
    except adapter.LtiError as error:
        restart = None
        if error.kind == "state":
            carried = adapter.login_params_of_state(storage, request.form.get("state", ""))
            if carried:
                restart = url_for("lti.login", **carried, lti1p3_new_window="1")
        return error_page(error.kind, _refused_language(), 400, restart)
    except MissingClaim:
        return error_page("missing_claims", _refused_language())
    platform = store.platform_of(get_db(), claims.issuer, claims.client_id)
    if platform is None:  # removed between the check and now
        return error_page("unknown_platform", claims.lang)
    with write() as db:
        provisioned = store.provision(db, platform, claims, NO_PASSWORD)
    use_language(claims.lang)
    if claims.is_deep_link:
        if claims.role != "trainer":
            return error_page("invalid", claims.lang, 403)
        return _deep_link_picker(claims, validated.launch_id)
    target = _target_url(claims.target, claims.lang)
    if claims.role == "trainer" and claims.target.kind == "workshop":
        # The workshop is the trainees' page; its trainer grades it on the cohort's dashboard.
        target = url_for("trainer.dashboard", lang=claims.lang, cohort_id=provisioned.cohort_id)
    in_frame = request.headers.get("Sec-Fetch-Dest") == "iframe"
    if in_frame and not current_app.config["LTI_SESSION_IN_FRAME"]:
        # The session cookie is SameSite=Lax: a frame on the platform's page never sends it,
        # so the course continues in a window of its own, signed in by a one-time token.
        with write() as db:
            token = store.issue_handoff(db, provisioned.user_id, target, claims.lang,
                                        current_app.config["CLOCK"]())
        return render_template("lti/new_window.html", handoff=url_for("lti.continue_launch", token=token))
    _sign_in(provisioned.user_id)
    return redirect(target)


def _refused_language() -> str:
    locale = adapter.unverified_locale()
    return language_of(locale) if locale else current_language()


def _sign_in(user_id: int) -> None:
    from courseware.auth.users import user_by_id
    from courseware.auth.views import start_session

    user = user_by_id(get_db(), user_id)
    if user is None:  # the account was deleted between the launch and now
        abort(410)
    start_session(user)


@bp.route("/lti/continue/<token>")
def continue_launch(token: str) -> Any:
    """Open a launch in this window: the token signs its user in once, within two minutes."""
    with write() as db:
        handoff = store.use_handoff(db, token, current_app.config["CLOCK"]())
    if handoff is None:
        return error_page("expired", current_language(), 410)
    _sign_in(handoff["user_id"])
    return redirect(handoff["target"])


def _target_url(target: Target, lang: str) -> str:
    if target.kind == "page":
        return url_for("course.page", lang=lang, page_id=target.page_id)
    if target.kind == "quiz":
        return url_for("quiz.index", lang=lang)
    if target.kind == "workshop":
        return url_for("workshop.index", lang=lang)
    if target.kind == "live" and LIVE_SESSION_ENDPOINT in current_app.view_functions:
        return url_for(LIVE_SESSION_ENDPOINT, lang=lang)
    return url_for("course.contents", lang=lang)


def _choices(lang: str) -> list[dict[str, Any]]:
    """What an instructor may link to: the module, each page, the quiz, the workshop, the live session."""
    course = get_course()
    items = [{"value": "module", "title": _("The module (contents)")}]
    items += [{"value": f"page:{page.id}", "title": _("Page: %(title)s", title=page.title)}
              for page in course.pages[lang]]
    items += [{"value": "quiz", "title": _("The quiz (graded)")},
              {"value": "workshop", "title": _("The workshop (graded)")}]
    if LIVE_SESSION_ENDPOINT in current_app.view_functions:
        items.append({"value": "live", "title": _("The live session")})
    return items


def _deep_link_picker(claims: LaunchClaims, launch_id: str) -> Any:
    return render_template("lti/deep_link.html", launch_id=launch_id, choices=_choices(claims.lang))


@bp.route("/<lang>/lti/deep-link", methods=["POST"])
def deep_link_return() -> Any:
    """Sign the instructor's choice and hand it to the platform's deep-linking return URL.

    The launch id (random, kept two hours) stands for the validated deep-linking launch: the
    platform's frame may not carry the course's session cookie.
    """
    lang = current_language()
    body = _storage().get_value(request.form.get("launch_id", ""))
    if not isinstance(body, dict):
        return error_page("expired", lang, 410)
    try:
        claims = claims_from(body, tuple(get_course().page_ids()))
    except MissingClaim:
        return error_page("missing_claims", lang)
    if not claims.is_deep_link or claims.role != "trainer" or not claims.deep_link_return_url:
        return error_page("invalid", lang, 403)
    choice = request.form.get("choice", "")
    titles = {item["value"]: item["title"] for item in _choices(lang)}
    if choice not in titles:
        return render_template("lti/deep_link.html", launch_id=request.form.get(
            "launch_id", ""), choices=_choices(lang), error=_("Choose one of the course's parts.")), 422
    kind, _colon, page = choice.partition(":")
    target = target_of({"target": kind, "page": page}, tuple(get_course().page_ids()))
    title = titles[choice]
    platform = store.platform_of(get_db(), claims.issuer, claims.client_id)
    if platform is None:
        return error_page("unknown_platform", lang)
    graded = {"quiz": (100.0, passback.LINE_ITEM_TAGS["quiz"]),
              "workshop": (float(get_course().areas["rubric"].get(lang).max_points),
                           passback.LINE_ITEM_TAGS["workshop"])}.get(target.kind)
    jwt_value = adapter.deep_link_response(
        store.records([platform])[0], keys.signing_key(_keys_dir()), claims.deployment_id,
        claims.raw[DEEP_LINKING],
        [adapter.LinkChoice(title=title, url=url_for("lti.launch", _external=True),
                            custom=target.as_custom(),
                            score_maximum=graded[0] if graded else None,
                            tag=graded[1] if graded else "")])
    return_origin = store.origin(claims.deep_link_return_url)
    if return_origin:
        allow_form_action(return_origin)
    return render_template("lti/deep_link_return.html", jwt_value=jwt_value,
                           return_url=claims.deep_link_return_url, title=title)


# ---- Registration, keys and platform courses: trainers' pages -------------------------------

def may_register() -> bool:
    """Trainers named in COURSEWARE_LTI_ADMINS register platforms and rotate keys.

    A registered platform can create accounts, trainers included, and cohorts: that is an
    administrator's power, not every trainer's. Every trainer sees the tool's URLs.
    """
    admins = current_app.config["LTI_ADMINS"]
    return current_user.is_authenticated and current_user.email.lower() in admins


def _tool_urls() -> dict[str, str]:
    return {
        "login": url_for("lti.login", _external=True),
        "launch": url_for("lti.launch", _external=True),
        "jwks": url_for("lti.jwks", _external=True),
        "deep_link": url_for("lti.launch", _external=True),
    }


@bp.route("/<lang>/trainer/lti/", methods=["GET", "POST"])
@role_required("trainer")
def registration() -> Any:
    """The tool's URLs for the platform, the registered platforms, and the form to add one."""
    form = PlatformForm()
    allowed = may_register()
    if request.method == "POST":
        if not allowed:
            abort(403)
        if form.validate_on_submit():
            with write() as db:
                store.save_platform(
                    db, issuer=form.issuer.data.strip(), client_id=form.client_id.data.strip(),
                    auth_login_url=form.auth_login_url.data.strip(),
                    auth_token_url=form.auth_token_url.data.strip(),
                    key_set_url=form.key_set_url.data.strip(), deployment_ids=form.deployments(),
                    created_by=current_user.id)
            forget_frame_origins()
            flash(_("Platform registered."), "success")
            return redirect(url_for("lti.registration"))
    return render_template("lti/registration.html", form=form, allowed=allowed,
                           urls=_tool_urls(), platforms=store.platforms(get_db()),
                           tool_keys=keys.tool_keys(_keys_dir()) or [keys.signing_key(_keys_dir())],
                           status=422 if form.errors else 200), 422 if form.errors else 200


@bp.route("/<lang>/trainer/lti/platforms/<int:platform_id>/remove", methods=["POST"])
@role_required("trainer")
def remove_platform(platform_id: int) -> Any:
    if not may_register():
        abort(403)
    with write() as db:
        if store.platform_by_id(db, platform_id) is None:
            abort(404)
        store.remove_platform(db, platform_id)
    forget_frame_origins()
    flash(_("Platform removed: its launches are refused from now on."), "success")
    return redirect(url_for("lti.registration"))


@bp.route("/<lang>/trainer/lti/keys/rotate", methods=["POST"])
@role_required("trainer")
def rotate_key() -> Any:
    if not may_register():
        abort(403)
    keys.add_key(_keys_dir())
    flash(_("New signing key made. The old key stays published until you remove it."), "success")
    return redirect(url_for("lti.registration"))


@bp.route("/<lang>/trainer/lti/keys/<kid>/remove", methods=["POST"])
@role_required("trainer")
def remove_key(kid: str) -> Any:
    if not may_register():
        abort(403)
    if not keys.remove_key(_keys_dir(), kid):
        flash(_("That key is the signing key or is not published."), "error")
    else:
        flash(_("Old key removed from the published key set."), "success")
    return redirect(url_for("lti.registration"))


@bp.route("/<lang>/trainer/lti/courses")
@role_required("trainer")
def courses() -> Any:
    """The trainer's platform courses: their cohort, roster import, and the grades sent."""
    db = get_db()
    mine = [row["id"] for row in cohorts_of_trainer(db, current_user.id)]
    report = None
    if mine and passback.pending(db, mine):
        # The trainer's visit retries what failed before, for the trainer's own cohorts.
        report = passback.send_pending(db, keys.signing_key(_keys_dir()), time.time(),
                                       cohort_ids=mine, write=write)
    return render_template("lti/courses.html", contexts=store.contexts_of_trainer(db, current_user.id),
                           cohorts=cohorts_of_trainer(db, current_user.id),
                           outbox=passback.pending(db, mine) if mine else [], report=report)


def _own_context_or_404(context_row: int) -> dict[str, Any]:
    for row in store.contexts_of_trainer(get_db(), current_user.id):
        if row["id"] == context_row:
            return row
    abort(404)


@bp.route("/<lang>/trainer/lti/courses/<int:context_row>/cohort", methods=["POST"])
@role_required("trainer")
def link_cohort(context_row: int) -> Any:
    _own_context_or_404(context_row)
    raw = request.form.get("cohort_id", "")
    if not raw.isdecimal() or len(raw) > 18:
        flash(_("Choose one of your cohorts."), "error")
        return redirect(url_for("lti.courses"))
    trainer_cohort_or_404(int(raw))
    with write() as db:
        store.link_context(db, context_row, int(raw))
    flash(_("The platform course now fills this cohort."), "success")
    return redirect(url_for("lti.courses"))


@bp.route("/<lang>/trainer/lti/courses/<int:context_row>/roster", methods=["POST"])
@role_required("trainer")
def import_roster(context_row: int) -> Any:
    context = _own_context_or_404(context_row)
    platform = store.platform_by_id(get_db(), context["platform_id"])
    if not context["memberships_url"] or platform is None:
        flash(_("The platform did not offer its course roster (Names and Role Provisioning)."), "error")
        return redirect(url_for("lti.courses"))
    try:
        members = adapter.course_members(store.records([platform])[0], keys.signing_key(_keys_dir()),
                                         context["memberships_url"])
    except adapter.LtiError:
        flash(_("The platform did not answer. Try again in a moment."), "error")
        return redirect(url_for("lti.courses"))
    added = 0
    with write() as db:
        for member in members:
            claims = store.member_claims(platform, context, member)
            if claims is None:
                continue
            added += store.provision(db, platform, claims, NO_PASSWORD).created_user
    flash(_("Roster imported: %(count)s new accounts.", count=added), "success")
    return redirect(url_for("lti.courses"))


@bp.route("/<lang>/trainer/lti/outbox/send", methods=["POST"])
@role_required("trainer")
def send_outbox() -> Any:
    db = get_db()
    mine = [row["id"] for row in cohorts_of_trainer(db, current_user.id)]
    report = passback.send_pending(db, keys.signing_key(_keys_dir()), time.time(),
                                   cohort_ids=mine, write=write)
    flash(_("Grades sent: %(sent)s; failed: %(failed)s; waiting for the undo window: %(waiting)s.",
            sent=report.sent, failed=report.failed, waiting=report.waiting),
          "success" if not report.failed else "error")
    return redirect(url_for("lti.courses"))


# ---- Frames -----------------------------------------------------------------------------------

# The pages a launch leads to; every other page keeps frame-ancestors 'none'.
FRAMEABLE_BLUEPRINTS = ("lti", "course", "quiz", "workshop", "feedback")
FRAME_ORIGINS_SECONDS = 30
_frame_origins: dict[str, tuple[float, list[str]]] = {}


def forget_frame_origins() -> None:
    _frame_origins.clear()


def frame_ancestors() -> list[str]:
    """The registered platforms' origins on launch-reachable pages; none elsewhere."""
    if request.blueprint not in FRAMEABLE_BLUEPRINTS or request.path.startswith(tuple(
            f"/{lang}/trainer/" for lang in LANGUAGES)):
        return []
    database = current_app.config["DATABASE"]
    cached = _frame_origins.get(database)
    now = time.monotonic()
    if cached is None or cached[0] < now:
        # Public configuration, the same for every user: kept briefly in the process.
        cached = _frame_origins[database] = (now + FRAME_ORIGINS_SECONDS, store.frame_origins(get_db()))
    return cached[1]
