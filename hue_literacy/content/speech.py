"""Speech-friendly text: what the phone's voice reads badly, found in a lesson's texts.

The player reads every text of a step aloud with the device's text-to-speech; symbols come out
as noise ("đ" as a letter, " - " as "minus", "10:02" as two numbers). These are warnings: the
lesson still loads, `flask content check` lists them and `--strict` refuses them.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Keys of a lesson whose text the learner sees and the player may read aloud.
NARRATED_KEYS = {
    "title", "summary", "text", "prompt", "hint", "feedback", "success", "label", "error",
    "expected_error", "submit", "result", "why", "safe_feedback", "alt",
}
# A label and its value joined by a spaced hyphen or dash: "Số tiền - 60.000 đồng".
_DASH = re.compile(r"\S\s[-–—]\s\S")
# An amount followed by the đồng sign written short: "60.000đ", "60.000 đ", "60.000 ₫", "VNĐ".
_DONG = re.compile(r"\d[\d.,]*\s?(?:đ|₫|VNĐ|vnđ|Vnđ)(?!\w)")
# A clock time: "10:02", "9:30", "10h02".
_CLOCK = re.compile(r"(?<![\d:])(?:[01]?\d|2[0-3])(?::|h)[0-5]\d(?![\d:])")

RULES = (
    (_DASH, "'…{around}…': ' - ' is read aloud as a dash or 'minus'; write a label with a "
            "colon ('Số tiền: 60.000 đồng') or end the sentence"),
    (_DONG, "'{found}': the voice reads 'đ' as a letter; write 'đồng' ('60.000 đồng')"),
    (_CLOCK, "'{found}' is read as two numbers; write the time in words ('10 giờ 2 phút', "
             "'2 minutes past 10')"),
)


def speech_problems(text: str) -> list[str]:
    """Every speech problem of one text, as a message."""
    found = []
    for pattern, message in RULES:
        match = pattern.search(text)
        if match:
            around = text[max(0, match.start() - 12):match.end() + 12].replace("\n", " ")
            found.append(message.format(found=match.group(0).strip(), around=around.strip()))
    return found


def narrated_texts(data: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) of every narrated text in parsed lesson data; sources are not read."""
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key == "sources" and not prefix:
                continue
            if isinstance(value, str) and key in NARRATED_KEYS:
                yield path, value
            elif key == "options" and isinstance(value, list):
                yield from ((f"{path}[{i}]", item) for i, item in enumerate(value)
                            if isinstance(item, str))
                yield from narrated_texts(value, path)
            else:
                yield from narrated_texts(value, path)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from narrated_texts(value, f"{prefix}[{index}]")


# Speech-friendly rewrites for the phone's voice, in case a text slipped past the warnings.
_DONG_SIGN = re.compile(r"(\d[\d.,]*)\s?(?:đ|₫|VNĐ|vnđ|Vnđ)(?!\w)")
_SPACED_DASH = re.compile(r"(\S)\s[-–—]\s(?=\S)")


def speakable(text: str, lang: str) -> str:
    """`text` as the phone's voice should read it: 'đồng' for 'đ', a pause for ' - '."""
    text = _DONG_SIGN.sub(lambda m: f"{m.group(1)} {'đồng' if lang == 'vi' else 'dong'}", text)
    text = _SPACED_DASH.sub(r"\1: ", text)
    return " ".join(text.split())


def step_speech_text(step: Any, lang: str) -> str:
    """What "Listen" says for a step and a volunteer records: its text or prompt, then the
    choices, items, fields or message lines the learner reads, each a sentence."""
    parts: list[str] = []
    for name in ("text", "prompt"):
        value = getattr(step, name, "")
        if value:
            parts.append(value)
    for option in getattr(step, "options", ()) or ():
        parts.append(getattr(option, "text", option))
    for item in getattr(step, "items", ()) or ():
        parts.append(item.text)
    for form_field in getattr(step, "fields", ()) or ():
        parts.append(form_field.label)
    if getattr(step, "sender", ""):
        parts.append(step.sender)
    for line in getattr(step, "lines", ()) or ():
        parts.append(line.text)
    sentences = [speakable(str(part), lang) for part in parts if str(part).strip()]
    return " ".join(s if s[-1] in ".?!…:" else s + "." for s in sentences)


def text_sha256(text: str) -> str:
    """The hash kept with a recording: a later change of the step's text makes it stale."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
