"""A trainee's live answers as lines for their record and the exports."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from courseware.live.questions import LiveQuestion, in_lang
from courseware.live.store import answers_of_trainee


def answer_text(question: LiveQuestion, answer: Any, lang: str) -> str:
    """An answer as a line of text: option names, the text typed, points, or the order."""
    names = {option.id: in_lang(option.text, lang) for option in question.options}
    if question.kind == "text":
        return str(answer)
    if question.kind == "points":
        return "; ".join(f"{names.get(key, key)}: {value}" for key, value in answer.items())
    separator = " > " if question.kind == "ranking" else "; "
    return separator.join(names.get(key, key) for key in answer)


def live_answer_lines(db: Database, trainee_id: int, lang: str) -> list[dict[str, Any]]:
    """The trainee's live answers, each with its question's text in the page's language."""
    return [{"session_at": row["session_at"], "position": row["position"],
             "prompt": in_lang(row["question"].prompt, lang),
             "text": answer_text(row["question"], row["answer"], lang)}
            for row in answers_of_trainee(db, trainee_id)]
