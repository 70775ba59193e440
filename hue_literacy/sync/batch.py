"""What the phone APIs share: reading a JSON batch from an outbox, and answering per item.

Used by /api/v1/events (learners' progress) and /api/v1/household-ops (ambassadors' changes).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from flask import abort, jsonify, request
from flask_babel import gettext as _

MAX_BODY = 512 * 1024


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
    body = request.get_json(silent=True)
    if body is None:
        abort(json_error(400, "malformed_json", _("The batch is not valid JSON.")))
    items = body.get(key) if isinstance(body, dict) else None
    if not isinstance(items, list):
        abort(json_error(400, f"{key}_missing", str(texts.missing)))
    if len(items) > limit:
        abort(json_error(413, f"too_many_{key}", texts.too_many % {"count": limit}))
    return items


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
