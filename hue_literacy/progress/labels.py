"""How a competency's mastery status is shown: its words and icon (used by several pages)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hue_literacy.progress.services import LEARNING, MASTERED, NEEDS_REFRESH, NOT_STARTED

STATUS_LABELS = {
    MASTERED: _l("Mastered"),
    NEEDS_REFRESH: _l("A lesson changed: practise it again"),
    LEARNING: _l("Learning"),
    NOT_STARTED: _l("Not started yet"),
}
STATUS_ICONS = {
    MASTERED: "check",
    NEEDS_REFRESH: "bulb",
    LEARNING: "flag",
    NOT_STARTED: None,
}
