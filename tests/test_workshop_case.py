"""The workshop case files: complete, consistent across languages, clear errors."""

import shutil
from pathlib import Path

import pytest
import yaml

from courseware.content import ContentError, load_area

CONTENT = Path(__file__).resolve().parent.parent / "content"


def test_both_languages_describe_the_same_12_to_16_candidates_with_the_same_figures():
    english, chinese = load_area(CONTENT, "workshop").cases
    assert 12 <= len(english.candidates) <= 16
    for ours, theirs in zip(english.candidates, chinese.candidates, strict=True):
        assert (ours.id, ours.figures, ours.facts) == (theirs.id, theirs.figures, theirs.facts)
        assert ours.name != theirs.name


def test_the_case_has_a_lost_account_and_a_new_target():
    categories = {candidate.category for candidate in load_area(CONTENT, "workshop").in_lang("en").candidates}
    assert {"customer", "lost", "target"} <= categories


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_brief_names_the_cohorts_organisation(lang):
    case = load_area(CONTENT, "workshop").in_lang(lang)
    paragraphs = case.brief_paragraphs("Acme Foods")
    assert "Acme Foods" in paragraphs[0]
    assert "{org}" not in " ".join(paragraphs)
    assert all("\n" not in paragraph for paragraph in paragraphs)


def test_chinese_paragraphs_are_joined_without_stray_spaces():
    paragraph = load_area(CONTENT, "workshop").in_lang("zh").brief_paragraphs("华润")[0]
    assert "， " not in paragraph and "。 " not in paragraph


@pytest.fixture
def content_copy(tmp_path):
    for lang in ("en", "zh"):
        (tmp_path / lang).mkdir()
        shutil.copy(CONTENT / lang / "workshop.yaml", tmp_path / lang / "workshop.yaml")
    return tmp_path


def rewrite(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_figure_that_is_not_a_number_is_named_with_its_file(content_copy):
    target = content_copy / "zh" / "workshop.yaml"
    rewrite(target, lambda data: data["candidates"][2]["figures"].update(revenue="很多"))
    with pytest.raises(ContentError, match=r"zh/workshop\.yaml: candidates\[2\]\.figures\.revenue"):
        load_area(content_copy, "workshop")


def test_a_translation_with_different_numbers_is_refused(content_copy):
    target = content_copy / "zh" / "workshop.yaml"
    rewrite(target, lambda data: data["candidates"][0]["figures"].update(gross_margin=99.0))
    with pytest.raises(ContentError, match=r"zh/workshop\.yaml: candidates\.huadong-fresh\.figures differs"):
        load_area(content_copy, "workshop")


def test_a_missing_name_is_reported(content_copy):
    target = content_copy / "en" / "workshop.yaml"
    rewrite(target, lambda data: data["candidates"][5].pop("name"))
    with pytest.raises(ContentError, match=r"en/workshop\.yaml: candidates\[5\]\.name"):
        load_area(content_copy, "workshop")


def test_too_few_candidates_are_refused(content_copy):
    target = content_copy / "en" / "workshop.yaml"
    rewrite(target, lambda data: data.update(candidates=data["candidates"][:5]))
    with pytest.raises(ContentError, match=r"en/workshop\.yaml: candidates .* 12 to 16 .* \(it has 5\)"):
        load_area(content_copy, "workshop")
