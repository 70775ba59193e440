"""Sign-in and self-registration forms; the rules themselves live in services.py."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from hue_literacy.form_messages import Form


class SignInForm(Form):
    phone = StringField(
        _l("Phone number"),
        validators=[InputRequired(_l("Please enter your phone number."))],
        render_kw={"inputmode": "tel", "autocomplete": "tel", "placeholder": "0912 345 678"},
    )
    pin = PasswordField(
        _l("PIN (4 to 6 digits)"),
        validators=[InputRequired(_l("Please enter your PIN."))],
        render_kw={"inputmode": "numeric", "autocomplete": "current-password", "maxlength": 6},
    )


class StaffSignInForm(Form):
    phone = StringField(
        _l("Phone number"),
        validators=[InputRequired(_l("Please enter your phone number."))],
        render_kw={"inputmode": "tel", "autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Please enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class LearnerDetailsForm(Form):
    """Fields shared by self-registration and registration by an ambassador."""

    full_name = StringField(
        _l("Full name"),
        validators=[InputRequired(_l("Please write the full name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    phone = StringField(
        _l("Phone number"),
        validators=[InputRequired(_l("Please enter the phone number."))],
        render_kw={"inputmode": "tel", "autocomplete": "tel", "placeholder": "0912 345 678"},
    )
    group = SelectField(_l("Group"), validators=[InputRequired()])
    birth_date = DateField(
        _l("Date of birth (for the certificate, optional)"),
        validators=[Optional()],
        format="%Y-%m-%d",
    )


class RegisterForm(LearnerDetailsForm):
    ward = SelectField(_l("Ward"), validators=[InputRequired()], coerce=int)
    pin = PasswordField(
        _l("Choose a PIN (4 to 6 digits)"),
        validators=[InputRequired(_l("Please choose a PIN."))],
        render_kw={"inputmode": "numeric", "autocomplete": "new-password", "maxlength": 6},
    )
    consent = BooleanField(
        _l("I agree that the app stores my name, phone number and learning progress.")
    )
