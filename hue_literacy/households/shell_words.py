"""The words the phone needs to draw households and learners without network (the offline
shell and the changes queued on a page: static/js/staff/render.js, outcomes.js), in the
page's language, with {n}-style placeholders filled on the phone."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from hue_literacy import request_inputs as inputs
from hue_literacy.content.framework import localised
from hue_literacy.households.services import MEMBER_ROLES, REASONS


def competency_names() -> dict[str, str]:
    locale = inputs.language()
    competencies = inputs.framework().competencies.values()
    return {comp.id: localised(comp.text, locale) for comp in competencies}


def offline_words() -> dict:
    """The words the phone needs to draw households and learners from the ward copy it keeps
    (static/js/staff/render.js): in the page's language, with {n}-style placeholders."""
    return {
        "roles": {role: str(label) for role, label in MEMBER_ROLES.items()},
        "competencies": competency_names(),
        "needs_visit": _("Needs a visit"), "stuck": _("A member is stuck"),
        "family": _("Digital Family"), "never_visited": _("Never visited"),
        "mine": _("I look after it"),
        "last_visit": _("Last visit: %(date)s", date="{date}"),
        "member_one": ngettext("%(num)d member", "%(num)d members", 1),
        "member_many": _("{n} members"),
        "learner_one": ngettext("%(num)d learner", "%(num)d learners", 1),
        "learner_many": _("{n} learners"),
        "household_one": ngettext("%(num)d household", "%(num)d households", 1),
        "household_many": _("{n} households"),
        "none_found": _("No household found."), "no_learner": _("No learner found."),
        "by": _("By %(name)s", name="{name}"),
        "ward": _("Ward %(ward)s", ward="{ward}"),
        "waiting": _("Waiting to be sent"),
        "sent": _("Sent"),
        "updated": _("Households on this phone: updated {ago}."),
        "not_yet": _("The ward's households are not on this phone yet. Open this page once "
                     "with internet."),
        "now": _("just now"), "minute": _("1 minute ago"), "minutes": _("{n} minutes ago"),
        "hour": _("1 hour ago"), "hours": _("{n} hours ago"), "day": _("1 day ago"),
        "days": _("{n} days ago"),
        "consent": _("The family agreed to store their data on {date}."),
        "to_confirm": _("Imported from the ward's list: ask the family's consent at the first "
                        "visit. Nobody here is a learner before that."),
        "offline_history": _("The history of changes is shown when there is internet."),
        "more": _("{n} more: search to find them."),
        "no_household": _("This household is not on this phone. Open it once with internet."),
        "deleted": _("(deleted)"),
        # checked on the phone before a change is queued (the server's own messages)
        "phone_empty": _("Please enter your phone number."),
        "phone_letters": _("A phone number has only digits, for example 0912 345 678."),
        "phone_digits": _("A mobile number has 10 digits and starts with 0, for example "
                          "0912 345 678."),
        "phone_taken": _("This phone number is already registered."),
        "address_short": _("Write the house number and the street or alley, for example "
                           "12 kiệt 34 Phan Đình Phùng."),
        "duplicate_address": str(REASONS["duplicate_household"]),
        "pin_rule": _("The PIN has 4 to 6 digits, numbers only."),
        "pin_easy": _("This PIN is too easy to guess (like 1111 or 1234). Please choose other "
                      "digits."),
        "learner_consent": str(REASONS["learner_consent_required"]),
        # the answers to queued changes (static/js/staff/outcomes.js)
        "refused": _("Not saved: {message}"),
        "conflict": _("Another phone changed this household later: your change was not used."),
        "member_conflict": _("Another phone changed this person's details first: your change "
                             "was not used."),
        "yours": _("Your change: {value}"), "kept": _("Kept now: {value}"),
        "apply_again": _("Use my change"), "accept": _("Keep it as it is"),
        "dismiss": _("Dismiss"),
        "learner_ready": _("{name} is registered."),
        "print_card": _("Print the sign-in card"),
        "op_household_created": _("Register a household"), "op_visit_logged": _("Log a visit"),
        "op_member_added": _("Add a member"),
        "op_household_updated": _("Change the address or name"),
        "op_member_updated": _("Edit a member"),
        "op_learner_registered": _("Register a learner"),
    }
