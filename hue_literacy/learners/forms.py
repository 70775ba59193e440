"""Forms an ambassador fills in for a learner."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField
from wtforms.validators import InputRequired, Optional

from hue_literacy.accounts.forms import LearnerDetailsForm


class RegisterLearnerForm(LearnerDetailsForm):
    ward = SelectField(_l("Ward"), validators=[Optional()], coerce=int)
    pin = PasswordField(
        _l("PIN chosen by the learner (4 to 6 digits)"),
        validators=[InputRequired(_l("Please ask the learner to choose a PIN."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 6},
    )
    consent = BooleanField(
        _l(
            "The learner agrees that the app stores their name, phone number and learning "
            "progress. I explained this to them."
        )
    )


class EditLearnerForm(LearnerDetailsForm):
    new_pin = PasswordField(
        _l("New PIN (leave empty to keep the old one)"),
        validators=[Optional()],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 6},
    )
