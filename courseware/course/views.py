"""Module pages in English, in Chinese, or side by side, with progress."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user

from courseware.auth.access import role_required
from courseware.auth.users import org_name
from courseware.content import get_course
from courseware.course.progress import Progress, pages_read_by, record_view
from courseware.db import get_db
from courseware.fragments import cached_fragment, cached_page
from courseware.i18n import LANGUAGES, current_language

bp = Blueprint("course", __name__, url_prefix="/<lang>")


@bp.route("/")
def home() -> Any:
    course = get_course()
    lang = current_language()
    progress = resume = None
    if current_user.is_authenticated:
        progress = _progress()
        if current_user.last_page_id:
            resume = course.page(lang, current_user.last_page_id)
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
    return _render_page(page_id, "course/page.html", with_fragments=True)


@bp.route("/module/<page_id>/side-by-side")
@role_required()
def side_by_side(page_id: str) -> Any:
    return _render_page(page_id, "course/side_by_side.html")


@bp.route("/module/handout")
@role_required()
def handout() -> Any:
    course = get_course()
    lang = current_language()
    return render_template("course/handout.html", pages=course.pages[lang])


def _render_page(page_id: str, template: str, *, with_fragments: bool = False) -> Any:
    course = get_course()
    lang = current_language()
    page = course.page(lang, page_id)
    if page is None:
        abort(404)
    user = current_user._get_current_object()  # one lookup, not one per attribute
    read = pages_read_by(get_db(), user)
    record_view(user.id, page_id, page_id in read, user.last_page_id == page_id)
    progress = Progress(read=read | {page_id}, total=len(course.pages[lang]))

    # Both views show the trainee's ticks and the organisation's name, nothing else of theirs
    # but the name and form token that cached_page fills in.
    org = org_name(user)

    def build() -> dict[str, Any]:
        previous, following = course.neighbours(lang, page_id)
        translations = {code: course.page(code, page_id) for code in LANGUAGES}
        context = {"page": page, "progress": progress, "previous": previous,
                   "following": following, "translations": translations,
                   "pages": course.pages[lang]}
        if with_fragments:
            # Each page's article and contents list are also kept by themselves, so a page
            # read with new ticks renders only its frame.
            context["article"] = cached_fragment("course/_page_article.html", (page_id, org),
                                                 **context)
            context["contents"] = cached_fragment("course/_contents_list.html",
                                                  (page_id, org, progress.read), **context)
        return context

    return cached_page(template, (org, progress.read), build=build, viewer=user)


def _progress() -> Progress:
    course = get_course()
    total = len(course.pages[current_language()])
    return Progress(read=pages_read_by(get_db(), current_user._get_current_object()), total=total)
