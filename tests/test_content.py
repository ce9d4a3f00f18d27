"""The module content: all 15 pages in both languages, clean, and validated at start-up."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from courseware.config import PROJECT_ROOT
from courseware.content import ContentError, load_course, with_org
from tests.conftest import make_app

CONTENT = PROJECT_ROOT / "content"
PAGE_IDS = [
    "customer-categories", "description", "objective", "scope", "selection-criteria",
    "account-manager-role", "focal-point", "company-performance", "relationship-builder",
    "problem-solver", "grow-revenue-profit", "deliver-value", "key-points", "discussion",
    "workshop",
]


@pytest.fixture(scope="module")
def course():
    course, errors = load_course(CONTENT)
    assert errors == []
    return course


def test_all_fifteen_pages_exist_in_both_languages_in_order(course):
    for lang in ("en", "zh"):
        assert [p.id for p in course.pages[lang]] == PAGE_IDS
        assert [p.order for p in course.pages[lang]] == list(range(1, 16))


def test_side_by_side_pairs_every_block(course):
    for english, chinese in zip(course.pages["en"], course.pages["zh"], strict=True):
        assert len(english.blocks) == len(chinese.blocks) > 0


@pytest.mark.parametrize("doubled", ["客户类别客户类别", "大客户大客户", "目标客户目标客户",
                                     "交付价值交付价值", "解决问题解决问题", "接洽的主要接洽的主要"])
def test_no_doubled_chinese_phrases_from_the_pdf_survive(doubled):
    for path in (CONTENT / "zh").glob("*.md"):
        assert doubled not in path.read_text(encoding="utf-8"), path


def test_chinese_has_no_repeated_runs_and_uses_full_width_punctuation():
    for path in (CONTENT / "zh").glob("*.md"):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        repeated = re.search(r"([\u4e00-\u9fff]{3,})\1", body)
        assert repeated is None, f"{path.name}: {repeated.group(0)}"
        assert not re.search(r"[\u4e00-\u9fff][,.;:?!]", body), path.name


def test_the_seed_misspelling_insure_is_corrected():
    for path in CONTENT.glob("*/*.md"):
        assert "insur" not in path.read_text(encoding="utf-8").lower(), path


def test_seed_facts_are_all_present(course):
    english = " ".join(p.html for p in course.pages["en"]).lower()
    for phrase in ["target account", "lost account", "key account", "normal account",
                   "account plan", "voice of the customer", "a management process",
                   "based on defined criteria", "develop a sustainable relationship",
                   "the account manager", "forecasting", "courtesy and respect",
                   "manageable", "catalyst"]:
        assert phrase in english, phrase
    chinese = " ".join(p.html for p in course.pages["zh"])
    for phrase in ["目标客户", "流失客户", "大客户", "常规客户", "客户计划", "管理流程",
                   "可持续", "客户经理", "预测"]:
        assert phrase in chinese, phrase


def test_role_figure_links_every_role_to_its_page(course):
    figure = course.page("en", "account-manager-role").figure
    assert len(figure.roles) == 6
    assert {role.page for role in figure.roles} <= set(PAGE_IDS)
    assert course.page("zh", "account-manager-role").figure.roles[0].label != figure.roles[0].label


def test_organisation_name_fills_the_blanked_company_and_is_escaped():
    assert with_org("customer and {org}", "Acme <Foods>") == "customer and Acme &lt;Foods&gt;"


def copy_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda root: (root / "zh" / "04-scope.md").unlink(), "page 'scope' has no Chinese version"),
        (lambda root: _replace(root / "en" / "04-scope.md", "title:", "titel:"), "needs 'title'"),
        (lambda root: _replace(root / "zh" / "04-scope.md", "id: scope", "id: scop"),
         "differs from the file name"),
        (lambda root: _replace(root / "zh" / "04-scope.md", "---\n", "", count=1),
         "must start with front matter"),
        (lambda root: _append(root / "zh" / "04-scope.md", "\n\n额外的一段。\n"),
         "side-by-side view pairs them"),
    ],
)
def test_broken_content_names_the_file_and_the_problem(tmp_path, edit, expected):
    root = copy_content(tmp_path)
    edit(root)
    course, errors = load_course(root)
    assert course is None
    report = "\n".join(str(error) for error in errors)
    assert expected in report
    assert "04-scope.md" in report or "zh" in report


def test_broken_content_stops_start_up(tmp_path):
    root = copy_content(tmp_path)
    _replace(root / "en" / "02-description.md", "order: 2", "order: two")
    with pytest.raises(ContentError, match="02-description.md"):
        make_app(tmp_path, CONTENT_DIR=str(root))


def test_content_check_command_reports_the_same(tmp_path):
    root = copy_content(tmp_path)
    app = make_app(tmp_path)
    ok = app.test_cli_runner().invoke(args=["content", "check"])
    assert ok.exit_code == 0 and "15 pages" in ok.output
    _replace(root / "zh" / "07-focal-point.md", "title:", "titel:")
    app.config["CONTENT_DIR"] = str(root)
    broken = app.test_cli_runner().invoke(args=["content", "check"])
    assert broken.exit_code == 1
    assert "07-focal-point.md" in broken.output


def _replace(path: Path, old: str, new: str, count: int = -1) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, count), encoding="utf-8")


def _append(path: Path, extra: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
