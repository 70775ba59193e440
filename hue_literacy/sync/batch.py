"""What the phone APIs share: reading a JSON batch from an outbox, and answering per item.

Used by /api/v1/events (learners' progress) and /api/v1/household-ops (ambassadors' changes).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from flask import abort, jsonify, request
from flask_babel import gettext as _

MAX_BODY = 512 * 1024
# A batch is body > list > item > payload > a list or two: 16 levels is plenty, and checking
# it keeps a body of 50,000 nested lists from ever reaching code that recurses.
MAX_DEPTH = 16


@dataclass(frozen=True)
class BatchTexts:
    """The refusals in words about what the batch holds (events, changes...)."""

    json_required: Any
    too_large: Any
    missing: Any
    too_many: Any  # with %(count)d


def json_error(status: int, code: str, message: str):
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    return response


def same_origin() -> bool:
    """No Origin header (same-site navigation, service worker) or this very host."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def read_batch(key: str, limit: int, texts: BatchTexts) -> list:
    """The list named `key` of a same-origin JSON body; abort with a clear JSON error if not."""
    if not request.is_json:
        abort(json_error(415, "json_required", str(texts.json_required)))
    if not same_origin():
        abort(json_error(403, "cross_origin", _("Requests from other sites are not accepted.")))
    if (request.content_length or 0) > MAX_BODY:
        abort(json_error(413, "too_large", str(texts.too_large)))
    body = parse_body(request.get_data(cache=True))
    items = body.get(key) if isinstance(body, dict) else None
    if not isinstance(items, list):
        abort(json_error(400, f"{key}_missing", str(texts.missing)))
    if len(items) > limit:
        abort(json_error(413, f"too_many_{key}", texts.too_many % {"count": limit}))
    return items


def parse_body(data: bytes) -> Any:
    """The JSON value of a body, or abort with 400 when it is not JSON or nested too deeply."""
    try:
        body = json.loads(data)
    except RecursionError:  # the C parser gives up on a few thousand levels: never a 500
        body = _TOO_DEEP
    except ValueError:  # includes bytes that are not UTF-8
        abort(json_error(400, "malformed_json", _("The batch is not valid JSON.")))
    if body is _TOO_DEEP or nesting_depth(body) > MAX_DEPTH:
        abort(json_error(400, "too_deep", _(
            "The batch is nested too deeply (at most %(count)d levels of lists and objects).",
            count=MAX_DEPTH)))
    return body


_TOO_DEEP = object()


def nesting_depth(value: Any, stop_after: int = MAX_DEPTH) -> int:
    """Levels of lists and objects in a parsed JSON value (a scalar is 0), without recursion.

    Only containers go on the stack (a batch holds thousands of scalars and a few levels)."""
    if not isinstance(value, dict | list):
        return 0
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > deepest:
            deepest = level
            if deepest > stop_after:
                break
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, dict | list):
                stack.append((child, level + 1))
    return deepest


def unstorable(item: Any) -> str | None:
    """Why one item of a batch cannot be stored as it is, or None.

    `not_finite`: NaN or +-Infinity (JSON has no such numbers, PostgreSQL refuses them and
    the whole batch would fail); `bad_text`: a NUL character, which PostgreSQL text cannot
    hold. Checked per item, so the other items of the batch are still stored. (Types are
    compared exactly, as json.loads makes them: this runs for every value of every event.)
    """
    stack = [item]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is str:
            if "\x00" in value:
                return "bad_text"
        elif kind is float:
            if not math.isfinite(value):
                return "not_finite"
        elif kind is dict:
            stack.extend(value.keys())
            stack.extend(value.values())
        elif kind is list:
            stack.extend(value)
        elif kind not in _PLAIN:  # a subclass (json.loads makes none): checked the slow way
            if isinstance(value, float) and not math.isfinite(value):
                return "not_finite"
            if isinstance(value, str) and "\x00" in value:
                return "bad_text"
            if isinstance(value, dict):
                stack.extend(value.keys())
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
    return None


_PLAIN = frozenset({int, bool, type(None)})


class ItemResult(Protocol):
    status: str

    def as_json(self) -> dict: ...


@dataclass
class BatchResult:
    """One result per item sent, in order, with the counts the phone shows."""

    results: list[ItemResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    def as_json(self) -> dict:
        return {
            "results": [result.as_json() for result in self.results],
            "stored": self.count("stored"),
            "duplicates": self.count("duplicate"),
            "refused": self.count("refused"),
        }
