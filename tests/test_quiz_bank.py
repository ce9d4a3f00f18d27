"""The question bank loads from content/, is bilingual, and rejects broken content clearly."""

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from courseware.content import ContentError, load_area
from courseware.quiz.bank import QuestionType, check_parity, parse_bank
from courseware.quiz.scoring import Answer, score_question
from tests.conftest import make_app

CONTENT = Path(__file__).resolve().parent.parent / "content"
MODULE_PAGES = {
    "customer-categories", "description", "objective", "scope", "selection-criteria",
    "account-manager-role", "focal-point", "company-performance", "relationship-builder",
    "problem-solver", "grow-revenue-profit", "deliver-value", "key-points", "discussion",
    "workshop",
}  # fmt: skip

VALID = {
    "questions": [
        {
            "id": "what-is-kam",
            "type": "single",
            "page": "discussion",
            "prompt": "What is Key Account Management?",
            "options": [
                {"id": "process", "text": "A management process", "correct": True},
                {"id": "campaign", "text": "A sales campaign"},
            ],
            "explanation": "It is a management process.",
        },
        {
            "id": "categories",
            "type": "matching",
            "page": "customer-categories",
            "prompt": "Match.",
            "items": [
                {"id": "target", "text": "Target", "answer": "capture"},
                {"id": "key", "text": "Key", "answer": "sustain"},
            ],
            "options": [
                {"id": "capture", "text": "Capture"},
                {"id": "sustain", "text": "Sustain"},
            ],
            "explanation": "Each category has a goal.",
        },
    ]
}


def broken(change):
    raw = copy.deepcopy(VALID)
    change(raw)
    return raw


def test_course_banks_load_in_both_languages_with_the_same_questions():
    quiz = load_area(CONTENT, "quiz")
    assert quiz.bank("en").question_ids == quiz.bank("zh").question_ids
    assert len(quiz.bank("en").questions) >= 12
    assert {q.type for q in quiz.bank("en").questions} == set(QuestionType)


@pytest.mark.parametrize(
    ("question_id", "lang", "answer", "page"),
    [
        ("what-is-kam", "en", "A management process", "description"),
        ("how-selected", "en", "Based on defined criteria", "selection-criteria"),
        ("main-objective", "en", "Develop a sustainable relationship", "key-points"),
        ("success-element", "en", "The account manager", "key-points"),
        ("what-is-kam", "zh", "一个管理流程", "description"),
        ("how-selected", "zh", "依据明确界定的标准", "selection-criteria"),
        ("main-objective", "zh", "建立可持续的关系", "key-points"),
        ("success-element", "zh", "客户经理", "key-points"),
    ],
)
def test_discussion_questions_have_the_decks_answers_and_link_to_the_page_that_explains(
    question_id, lang, answer, page
):
    # The Discussion page only repeats the one-line answers, so the review sends the trainee
    # to the page that explains them.
    question = load_area(CONTENT, "quiz").bank(lang).get(question_id)
    assert question.page == page
    assert [o.text for o in question.options if o.correct] == [answer]


def test_ticking_every_option_of_a_multiple_response_question_earns_nothing():
    for bank in load_area(CONTENT, "quiz").banks.values():
        for question in bank.questions:
            if question.type is QuestionType.MULTIPLE:
                everything = Answer.choice(*question.option_ids)
                assert score_question(question, everything) == 0, question.id


def test_matching_questions_offer_decoys_so_the_last_pair_is_not_given_away():
    for bank in load_area(CONTENT, "quiz").banks.values():
        for question in bank.questions:
            if question.type is QuestionType.MATCHING:
                assert len(question.options) >= len(question.items) + 2, question.id


def test_every_question_explains_itself_and_names_a_module_page():
    for bank in load_area(CONTENT, "quiz").banks.values():
        for question in bank.questions:
            assert question.page in MODULE_PAGES
            assert question.explanation


def test_chinese_bank_uses_full_width_punctuation():
    for question in load_area(CONTENT, "quiz").bank("zh").questions:
        for text in (question.prompt, question.explanation):
            assert not any(mark in text for mark in (",", "?", ";", ":")), text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r["questions"].append(copy.deepcopy(r["questions"][0])), "questions[2].id"),
        (lambda r: r["questions"][0].update(type="essay"), "questions[0] (id 'what-is-kam').type"),
        (lambda r: r["questions"][0].pop("explanation"), "'what-is-kam').explanation"),
        (lambda r: r["questions"][0]["options"][1].update(correct=True), "'what-is-kam').options"),
        (lambda r: r["questions"][0]["options"][1].update(id="process"), "'what-is-kam').options"),
        (lambda r: r["questions"][0].update(page="nowhere"), "'what-is-kam').page 'nowhere'"),
        (lambda r: r["questions"][1]["items"][0].update(answer="x"), "items[0].answer 'x'"),
        (lambda r: r["questions"][1]["options"][0].update(correct=True), "options[0].correct"),
        (lambda r: r["questions"][0].update(hint="?"), "unknown field(s) ['hint']"),
        (lambda r: r["questions"][0].update(id="Not An Id"), "questions[0].id"),
    ],
)
def test_broken_bank_names_the_file_and_the_field(change, field):
    with pytest.raises(ContentError) as error:
        parse_bank(broken(change), "content/en/quiz.yaml", "en", page_ids=MODULE_PAGES)
    assert str(error.value).startswith("content/en/quiz.yaml: ")
    assert field in str(error.value)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r["questions"].pop(), "question ids differ"),
        (lambda r: r["questions"][0].update(page="scope"), "'what-is-kam'.page"),
        (lambda r: r["questions"][0]["options"].reverse(), "'what-is-kam'.options"),
        (lambda r: r["questions"][1]["items"][0].update(answer="sustain"), "'categories'.items"),
    ],
)
def test_translation_that_differs_in_more_than_text_is_rejected(change, problem):
    english = parse_bank(VALID, "content/en/quiz.yaml", "en")
    chinese = parse_bank(broken(change), "content/zh/quiz.yaml", "zh")
    with pytest.raises(ContentError) as error:
        check_parity(english, chinese, "content/zh/quiz.yaml")
    assert str(error.value).startswith("content/zh/quiz.yaml: ")
    assert problem in str(error.value)


def test_invalid_yaml_names_the_file(tmp_path):
    for lang in ("en", "zh"):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "quiz.yaml").write_text(yaml.safe_dump(VALID), encoding="utf-8")
    (tmp_path / "zh" / "quiz.yaml").write_text("questions: [", encoding="utf-8")
    with pytest.raises(ContentError, match=r"zh/quiz\.yaml: is not valid YAML"):
        load_area(tmp_path, "quiz")


def test_missing_translation_file_is_named(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "quiz.yaml").write_text(yaml.safe_dump(VALID), encoding="utf-8")
    with pytest.raises(ContentError, match=r"zh/quiz\.yaml: the file is missing"):
        load_area(tmp_path, "quiz")


def test_app_refuses_to_start_when_a_question_names_a_missing_page(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for lang in ("en", "zh"):
        path = content / lang / "quiz.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("page: focal-point", "page: focal-points"),
            encoding="utf-8",
        )
    with pytest.raises(ContentError, match=r"unknown pages \['focal-points'\]"):
        make_app(tmp_path, CONTENT_DIR=str(content))


def test_app_names_the_broken_quiz_file_at_start_up(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    path = content / "zh" / "quiz.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("id: process, text: 一个管理流程, correct: true",
                                                 "id: process, text: 一个管理流程"),
        encoding="utf-8",
    )  # fmt: skip
    with pytest.raises(ContentError, match=r"zh/quiz\.yaml: .*'what-is-kam'"):
        make_app(tmp_path, CONTENT_DIR=str(content))
