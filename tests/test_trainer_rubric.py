"""The rubric content loads in both languages, lines up, and bad files are named precisely."""

import re
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


# A descriptor of kpi_coverage names the coverage counts it is for as "at most N", "N or M" or
# "all N" (English) and 最多只覆盖…中的 N 个, N 到 M 个 or 全部 N 个 (Chinese).
_COUNT_PATTERNS = {
    "en": ((r"at most (\d) of the 6", "at most"), (r"cover (\d) or (\d) of the 6", "range"),
           (r"cover all (\d) dimensions", "exactly")),
    "zh": ((r"最多只覆盖 6 个维度中的 (\d) 个", "at most"), (r"6 个维度中的 (\d) 到 (\d) 个", "range"),
           (r"全部 (\d) 个维度", "exactly")),
}
# The rubric's six dimensions, as the KPI form's responsibilities name them.
_DIMENSIONS = {"revenue_growth", "profit_growth", "quality", "cost", "on_time", "relationship"}


def _counts_named(descriptor: str, lang: str) -> set[int]:
    counts: set[int] = set()
    for pattern, kind in _COUNT_PATTERNS[lang]:
        for match in re.finditer(pattern, descriptor):
            numbers = [int(group) for group in match.groups()]
            if kind == "at most":
                counts |= set(range(numbers[0] + 1))
            elif kind == "range":
                counts |= set(range(numbers[0], numbers[1] + 1))
            else:
                counts.add(numbers[0])
    return counts


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_number_of_kpi_dimensions_covered_fits_exactly_one_level(lang):
    criterion = load_area(CONTENT, "rubric").get(lang).criterion("kpi_coverage")
    named = {level.points: _counts_named(level.descriptor, lang) for level in criterion.levels}
    level_for = {}
    for covered in range(len(_DIMENSIONS) + 1):
        fitting = [points for points, counts in named.items() if covered in counts]
        assert len(fitting) == 1, f"{covered} dimensions fit levels {fitting} in {lang}"
        level_for[covered] = fitting[0]
    # More dimensions never earn fewer points, and all six earn the top level.
    assert list(level_for.values()) == sorted(level_for.values())
    assert level_for[6] == criterion.max_points


def test_the_sample_kpis_cover_all_six_dimensions_the_rubric_asks_for():
    for case in load_area(CONTENT, "workshop").cases:
        covered = {example.responsibility for example in case.kpi_examples}
        assert covered >= _DIMENSIONS, f"{case.lang} examples miss {_DIMENSIONS - covered}"
