"""The server's own verdict on a synced answer: pure rules, no database, no request.

The phone judges every answer at once (offline too) and sends its verdict as `correct`. The
server never trusts it: progress, mastery and certificates count `ProgressEvent.correct`, the
verdict these rules give from the answer the phone sent and the answer key of the lesson
version the learner was given. What each step type's answer holds (made by static/js/steps.js
and static/js/scanner.js):

- choice `{"option": id}`: right when it is the correct option.
- tap `{"element": id}`: right when it is the target element.
- order `{"order": [ids]}`: right when the ids are exactly the items in their written order.
- scam `{"found": [ids]}` once enough warning signs are found (`{"line": id}` for a tap on a
  harmless line): right when at least `find` different lines are found, all of them flagged.
- scan `{"method": "typed", "code": text}` or `{"method": "camera"|"photo", "text": text}`:
  right when the typed code is the step's code (case, spaces and dashes ignored) or the
  scanned text is the practice QR's content (for a link, an address ending in /p/<code>).
- form `{"wrong_fields": [ids]}`: the values typed stay on the phone (they may be real
  personal data), so the server cannot check them; it keeps the phone's verdict when it is
  consistent (right only when no field was wrong), marked as judged by the phone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hue_literacy.content.model import (
    ChoiceStep,
    FormStep,
    OrderStep,
    ScamStep,
    ScanStep,
    Step,
    TapStep,
)

SERVER = "server"
PHONE = "phone"

_NOT_CODE = re.compile(r"[^A-Z0-9]")
_LINK_CODE = re.compile(r"/p/([A-Za-z0-9-]+)/?$")


@dataclass(frozen=True)
class Verdict:
    correct: bool | None  # None: no answer key is known, so the answer counts as not correct
    judged: str | None  # SERVER, PHONE or None

    @property
    def known(self) -> bool:
        return self.judged is not None


UNKNOWN = Verdict(None, None)


def answer_key(step: Step, payload: str | None = None) -> dict | None:
    """What the server needs to judge an answer to `step` later (JSON-ready), or None.

    `payload` is the content of a scan step's practice QR (not needed for links, whose
    address depends on the server's host name; the code inside it is what counts).
    """
    if isinstance(step, ChoiceStep):
        return {"option": step.correct_option.id}
    if isinstance(step, TapStep):
        return {"element": step.target}
    if isinstance(step, OrderStep):
        return {"order": [item.id for item in step.items]}
    if isinstance(step, ScamStep):
        return {"flagged": [line.id for line in step.flagged], "find": step.find}
    if isinstance(step, ScanStep):
        return {"code": normalise_code(step.code), "kind": step.qr.kind,
                "payload": None if step.qr.kind == "link" else payload}
    if isinstance(step, FormStep):
        return {"fields": [field.id for field in step.fields]}
    return None


def normalise_code(text: str) -> str:
    """A practice code without case, spaces or dashes (as the phone compares it)."""
    return _NOT_CODE.sub("", text.upper())


def judge(step_type: str, key: dict | None, answer: Any, phone_correct: bool | None) -> Verdict:
    """The server's verdict on one answer to a step of `step_type` with answer `key`."""
    if key is None:
        return UNKNOWN
    answer = answer if isinstance(answer, dict) else {}
    rule = _RULES.get(step_type)
    if rule is None:  # an info step or a type this server does not know: nothing to judge
        return UNKNOWN
    if step_type == "form":
        return Verdict(rule(key, answer) and phone_correct is True, PHONE)
    return Verdict(rule(key, answer), SERVER)


def _choice(key: dict, answer: dict) -> bool:
    return _text(answer.get("option")) == key["option"]


def _tap(key: dict, answer: dict) -> bool:
    return _text(answer.get("element")) == key["element"]


def _order(key: dict, answer: dict) -> bool:
    given = answer.get("order")
    return isinstance(given, list) and given == key["order"]


def _scam(key: dict, answer: dict) -> bool:
    found = answer.get("found")
    if not isinstance(found, list) or not all(isinstance(line, str) for line in found):
        return False
    return set(found) <= set(key["flagged"]) and len(set(found)) >= key["find"]


def _scan(key: dict, answer: dict) -> bool:
    code, text = _text(answer.get("code")), _text(answer.get("text"))
    if code is not None:
        return normalise_code(code) == key["code"]
    if text is None:
        return False
    if key["kind"] == "link":
        found = _LINK_CODE.search(text.strip())
        return found is not None and normalise_code(found.group(1)) == key["code"]
    return key["payload"] is not None and text.strip() == key["payload"]


def _form(key: dict, answer: dict) -> bool:
    wrong = answer.get("wrong_fields")
    return isinstance(wrong, list) and not wrong


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


_RULES = {"choice": _choice, "tap": _tap, "order": _order, "scam": _scam, "scan": _scan,
          "form": _form}
