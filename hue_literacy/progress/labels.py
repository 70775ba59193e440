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


def next_strings() -> dict[str, str]:
    """The words of the "what next" button and its line, for the pages and for next.js."""
    from flask_babel import gettext as _

    return {
        "label_continue": _("Continue: {title}"),
        "label_new": _("Start: {title}"),
        "label_again": _("Practise again: {title}"),
        "why_continue": _("You began this lesson. It goes on where you stopped."),
        "why_path": _("The next lesson of your path."),
        "why_new": _("You have done every lesson of your path. One more lesson:"),
        "why_refresh": _("This lesson changed since you did it. Practise it again."),
        "why_practise": _("Do this lesson once more to master its skills."),
        "all_done": _("You have done every lesson. Well done!"),
    }


def next_texts(strings: dict[str, str], suggestion, title: str) -> tuple[str, str]:
    """(line, button) for one suggestion of the plan, the same words next.js uses."""
    reason = suggestion.reason
    label = {"continue": "label_continue", "new": "label_new"}.get(reason, "label_again")
    why = {"new": "why_path" if suggestion.on_path else "why_new"}.get(reason, f"why_{reason}")
    return strings[why], strings[label].replace("{title}", title)


def saved_strings() -> dict[str, str]:
    """The words of the saved copy of "My progress" (progress-saved.js fills them in)."""
    from flask_babel import gettext as _

    return {
        "offline": _("No internet now. This is your progress as this phone saved it {age}, "
                     "on {when}."),
        "online": _("This is your progress as this phone saved it {age}, on {when}."),
        "just_now": _("a moment ago"),
        "one_minute": _("1 minute ago"),
        "minutes": _("{n} minutes ago"),
        "one_hour": _("1 hour ago"),
        "hours": _("{n} hours ago"),
        "one_day": _("1 day ago"),
        "days": _("{n} days ago"),
        "done": _("{done} of {total} lessons"),
        "mastered": _("{mastered} of {total} mastered"),
    }
