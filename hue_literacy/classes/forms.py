"""The form a teacher fills in to open a class; the rules live in services.py."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Optional

from hue_literacy.form_messages import Form


class OpenClassForm(Form):
    venue = StringField(
        _l("Where (for example: Culture house of group 5)"),
        validators=[InputRequired(_l("Please write where the class takes place."))],
        render_kw={"maxlength": 120, "autocomplete": "off"},
    )
    starts_on = DateField(
        _l("Day of the class"),
        validators=[InputRequired(_l("Please choose the day of the class."))],
    )
    ward = SelectField(_l("Ward"), validators=[Optional()], coerce=int)
