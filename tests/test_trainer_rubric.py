"""The rubric content loads in both languages, lines up, and bad files are named precisely."""

from pathlib import Path

import pytest
import yaml

from courseware.content import ContentError, load_area
from courseware.trainer.rubric import check_translations_match, load_rubric_content, parse_rubric

CONTENT = Path(__file__).resolve().parents[1] / "content"


def _valid_document() -> dict:
    return {
        "title": "Rubric",
        "criteria": [
            {
                "id": "alpha",
                "title": "Alpha",
                "description": "About alpha",
                "levels": [
                    {"points": 0, "label": "Not yet", "descriptor": "None"},
                    {"points": 5, "label": "Good", "descriptor": "Some"},
                ],
            }
        ],
    }


def test_shipped_rubrics_load_with_six_criteria_of_four_levels():
    for rubric in load_area(CONTENT, "rubric").by_lang:
        assert len(rubric.criteria) == 6
        assert all(len(criterion.levels) == 4 for criterion in rubric.criteria)
        assert rubric.max_points == 100


def test_shipped_rubrics_share_ids_and_points_but_not_words():
    rubrics = load_area(CONTENT, "rubric")
    assert rubrics.get("en").ids == rubrics.get("zh").ids
    for en, zh in zip(rubrics.get("en").criteria, rubrics.get("zh").criteria, strict=True):
        assert [level.points for level in en.levels] == [level.points for level in zh.levels]
        assert en.title != zh.title


def test_rubric_covers_the_modules_themes():
    ids = load_area(CONTENT, "rubric").get("en").ids
    assert ids == (
        "criteria_defined",
        "strategic_growth",
        "weighting_coherent",
        "list_manageable",
        "kpi_coverage",
        "kpi_measurable",
    )


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["criteria"][0].update(id="Bad Id"), "criteria[0].id"),
        (lambda d: d["criteria"][0]["levels"][1].update(points="five"), "levels[1].points"),
        (lambda d: d["criteria"][0]["levels"][1].update(points=True), "levels[1].points"),
        (lambda d: d["criteria"][0]["levels"][1].update(points=0), "criteria[0].levels"),
        (lambda d: d["criteria"][0]["levels"][0].update(descriptor=""), "levels[0].descriptor"),
        (lambda d: d["criteria"][0].update(levels=[]), "criteria[0].levels"),
        (lambda d: d["criteria"].append(dict(d["criteria"][0])), "criteria[1].id"),
        (lambda d: d.update(criteria=[]), "criteria"),
        (lambda d: d.pop("title"), "title"),
    ],
)
def test_malformed_rubric_error_names_file_and_field(mutate, field):
    document = _valid_document()
    mutate(document)
    with pytest.raises(ContentError) as error:
        parse_rubric(document, "en", "content/en/rubric.yaml")
    assert error.value.path == "content/en/rubric.yaml"
    assert field in error.value.problem


def test_unreadable_yaml_names_the_file(tmp_path):
    for lang in ("en", "zh"):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "rubric.yaml").write_text(yaml.safe_dump(_valid_document()), encoding="utf-8")
    (tmp_path / "en" / "rubric.yaml").write_text("criteria: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match=r"en/rubric\.yaml: is not valid YAML"):
        load_area(tmp_path, "rubric")


def test_translation_with_different_points_is_refused(tmp_path):
    en = parse_rubric(_valid_document(), "en", "en/rubric.yaml")
    changed = _valid_document()
    changed["criteria"][0]["levels"][1]["points"] = 6
    zh = parse_rubric(changed, "zh", "zh/rubric.yaml")
    with pytest.raises(ContentError, match=r"zh/rubric\.yaml: criteria\[0\]\.levels points"):
        check_translations_match(en, zh, "zh/rubric.yaml")


def test_translation_with_missing_criterion_is_refused(tmp_path):
    for lang in ("en", "zh"):
        (tmp_path / lang).mkdir()
    document = _valid_document()
    (tmp_path / "en" / "rubric.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    document["criteria"][0]["id"] = "beta"
    (tmp_path / "zh" / "rubric.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(ContentError, match=r"zh/rubric\.yaml: criteria ids"):
        load_area(tmp_path, "rubric")


def test_content_registry_reports_the_failing_file(tmp_path):
    broken = _valid_document()
    broken["criteria"][0]["levels"][0]["points"] = -1
    with pytest.raises(ContentError) as error:
        load_rubric_content(_valid_document(), broken, tmp_path / "en.yaml", tmp_path / "zh.yaml")
    assert error.value.path.endswith("zh.yaml")
    assert "criteria[0].levels[0].points" in error.value.problem


def test_content_registry_gives_each_language_its_rubric(tmp_path):
    zh = _valid_document()
    zh["criteria"][0]["title"] = "甲"
    rubrics = load_rubric_content(_valid_document(), zh, tmp_path / "en", tmp_path / "zh")
    assert rubrics.get("zh").criteria[0].title == "甲"
    assert rubrics.get("en").criteria[0].title == "Alpha"
