"""Forms an ambassador fills in at a household; each carries an op id so it is saved once.

The field names are the payload keys of the ops API, so static/js/staff/forms.js can queue the
same form as an op (always, before any request is made).
"""
from __future__ import annotations

from uuid import uuid4

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from hue_literacy.form_messages import Form
from hue_literacy.households.services import MEMBER_ROLES, NOTES_MAX
from hue_literacy.households.text import ADDRESS_MAX, NAME_MAX

PHONE_FIELD = {"inputmode": "tel", "autocomplete": "off", "placeholder": "0912 345 678"}


def _role_choices() -> list[tuple[str, str]]:
    return [(role, label) for role, label in MEMBER_ROLES.items()]


class OpForm(Form):
    op_id = HiddenField(default=lambda: str(uuid4()))


class HouseholdForm(OpForm):
    ward = SelectField(_l("Ward"), validators=[Optional()], coerce=int, validate_choice=False)
    address = StringField(
        _l("Address (house number, alley, street)"),
        validators=[InputRequired(_l("Please write the household's address.")),
                    Length(max=ADDRESS_MAX)],
        render_kw={"autocomplete": "street-address"},
    )
    name = StringField(
        _l("Household name (optional)"), validators=[Optional(), Length(max=NAME_MAX)]
    )
    member_name = StringField(
        _l("Full name of a first member (optional)"),
        validators=[Optional(), Length(max=NAME_MAX)], render_kw={"autocomplete": "off"},
    )
    member_role = SelectField(_l("Their role in the family"), choices=_role_choices)
    member_phone = StringField(_l("Their phone number (optional)"), render_kw=PHONE_FIELD)
    consent = BooleanField(
        _l("The family agrees that the app stores their address, names and phone numbers "
           "and the visits. I explained this to them."),
        render_kw={"required": True},  # checked by the phone offline, by the server online
    )


class EditHouseholdForm(OpForm):
    address = StringField(
        _l("Address (house number, alley, street)"),
        validators=[InputRequired(_l("Please write the household's address.")),
                    Length(max=ADDRESS_MAX)],
    )
    name = StringField(
        _l("Household name (optional)"), validators=[Optional(), Length(max=NAME_MAX)]
    )
    # The values the form was opened with: only fields the ambassador changed are sent.
    was_address = HiddenField()
    was_name = HiddenField()


class MemberForm(OpForm):
    full_name = StringField(
        _l("Full name"),
        validators=[InputRequired(_l("Please write the person's full name.")),
                    Length(max=NAME_MAX)],
        render_kw={"autocomplete": "off"},
    )
    role = SelectField(_l("Role in the family"), choices=_role_choices)
    phone = StringField(_l("Phone number (optional)"), render_kw=PHONE_FIELD)


class VisitForm(OpForm):
    visited_on = DateField(
        _l("Date of the visit"),
        validators=[InputRequired(_l("Please give the date of the visit."))],
        format="%Y-%m-%d",
    )
    competencies = SelectMultipleField(
        _l("What did you practise?"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    notes = TextAreaField(
        _l("Notes (optional)"), validators=[Optional(), Length(max=NOTES_MAX)],
        render_kw={"rows": 4},
    )


class EditMemberForm(MemberForm):
    """One member's details; each member's copy on a page has its own field ids."""

    member = HiddenField()
    # The values the form was opened with: the server changes a field only if it still has
    # this value (another phone may have changed it meanwhile).
    was_full_name = HiddenField()
    was_role = HiddenField()
    was_phone = HiddenField()

    def for_member(self, key: str) -> EditMemberForm:
        """Give the visible fields ids of their own (several members on one page)."""
        for name in ("full_name", "role", "phone"):
            field = self[name]
            field.id = f"member-{key}-{name}"
            field.label.field_id = field.id
        return self
