"""Forms of the narration pages (the recording itself is sent by recorder.js)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import AnyOf, InputRequired


class ReviewForm(FlaskForm):
    """An editor's decision, sent by one of two buttons named `decision`."""

    decision = StringField(_l("Decision"), validators=[InputRequired(),
                                                       AnyOf(("approve", "reject"))])


class RecorderForm(FlaskForm):
    allowed = BooleanField(_l("May record narration"))
