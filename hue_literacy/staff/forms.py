"""Forms of the staff pages; the rules themselves live in services.py."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from hue_literacy.form_messages import Form

ROLE_LABELS = {"official": _l("Ward official"), "ambassador": _l("Digital ambassador")}


class StaffDetailsForm(Form):
    full_name = StringField(
        _l("Full name"),
        validators=[InputRequired(_l("Please write the full name.")), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    phone = StringField(
        _l("Phone number"),
        validators=[InputRequired(_l("Please enter the phone number."))],
        render_kw={"inputmode": "tel", "autocomplete": "off", "placeholder": "0912 345 678"},
    )


class NewStaffForm(StaffDetailsForm):
    role = SelectField(_l("Role"), validators=[InputRequired(_l("Please choose a role."))])
    ward = SelectField(_l("Ward"), coerce=int,
                       validate_choice=False,  # checked in the view, with its own message
                       validators=[InputRequired(_l("Please choose the ward."))])


class SetupForm(Form):
    code = StringField(
        _l("Set-up code"),
        validators=[InputRequired(_l("Please type the set-up code."))],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters",
                   "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Choose a password (at least 10 characters)"),
        validators=[InputRequired(_l("Please choose a password."))],
        render_kw={"autocomplete": "new-password"},
    )
    password_again = PasswordField(
        _l("The same password again"),
        validators=[InputRequired(_l("Please type the password a second time."))],
        render_kw={"autocomplete": "new-password"},
    )
