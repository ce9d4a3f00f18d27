"""Module pages in English, in Chinese, or side by side, with progress."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_babel import force_locale, gettext
from flask_login import current_user

from courseware import render_cache
from courseware.auth.access import role_required
from courseware.course.progress import Progress, first_unread, read_pages, record_view
from courseware.db import get_db
from courseware.i18n import LANGUAGES, current_language
from courseware.loaded_course import get_course
from courseware.templating import current_org_name

bp = Blueprint("course", __name__, url_prefix="/<lang>")


@bp.route("/")
def home() -> Any:
    course = get_course()
    lang = current_language()
    progress = resume = None
    if current_user.is_authenticated:
        progress = _progress()
        # "Continue" leads on through the module: to the first page not read yet.
        resume = first_unread(course.pages[lang], progress.read)
    return render_template("course/home.html", pages=course.pages[lang], progress=progress,
                           resume=resume)


@bp.route("/module/")
@role_required()
def contents() -> Any:
    lang = current_language()
    return render_template("course/contents.html", pages=get_course().pages[lang],
                           progress=_progress())


@bp.route("/module/<page_id>")
@role_required()
def page(page_id: str) -> Any:
    return _render_page(page_id, "course/page.html", with_pieces=True)


@bp.route("/module/<page_id>/side-by-side")
@role_required()
def side_by_side(page_id: str) -> Any:
    return _render_page(page_id, "course/side_by_side.html")


# The handout's text: one language, or both paragraph by paragraph; the interface stays in
# the page's language whichever text is printed.
HANDOUT_TEXTS = ("en", "zh", "side-by-side")


@bp.route("/module/handout", defaults={"text": None})
@bp.route("/module/handout/<text>")
@role_required()
def handout(text: str | None) -> Any:
    course = get_course()
    text = text or current_language()
    if text not in HANDOUT_TEXTS:
        abort(404)
    titles = {}
    for code in LANGUAGES:
        with force_locale(code):
            titles[code] = gettext("Key Account Management")
    if text == "side-by-side":
        pairs = [(english, course.page("zh", english.id)) for english in course.pages["en"]]
        return render_template("course/handout_side_by_side.html", pairs=pairs, text=text,
                               titles=titles)
    return render_template("course/handout.html", pages=course.pages[text], text=text,
                           titles=titles)


def _render_page(page_id: str, template: str, *, with_pieces: bool = False) -> Any:
    course = get_course()
    lang = current_language()
    page = course.page(lang, page_id)
    if page is None:
        abort(404)
    user = current_user
    read = read_pages(get_db(), user.id)
    record_view(user.id, page_id, page_id in read, user.last_page_id == page_id)
    progress = Progress(read=read | {page_id}, total=len(course.pages[lang]))
    previous, following = course.neighbours(lang, page_id)
    context: dict[str, Any] = {
        "page": page, "progress": progress, "previous": previous, "following": following,
        "translations": {code: course.page(code, page_id) for code in LANGUAGES},
        "pages": course.pages[lang],
        "first_unread": first_unread(course.pages[lang], progress.read),
    }
    if with_pieces:
        org = current_org_name()
        context["article"] = render_cache.module_article(page_id, org)
        context["contents"] = render_cache.contents_list(page_id, org, progress.read)
    return render_template(template, **context)


def _progress() -> Progress:
    total = len(get_course().pages[current_language()])
    return Progress(read=read_pages(get_db(), current_user.id), total=total)
