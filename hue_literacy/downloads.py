"""File downloads from pages: a person's data as JSON (their own page and their ambassador's)."""
from __future__ import annotations

import json

from flask import Response

from hue_literacy import request_inputs as inputs
from hue_literacy.accounts import services as accounts
from hue_literacy.accounts.models import User
from hue_literacy.accounts.personal_data import DataContext


def personal_data_context() -> DataContext:
    """What exporting or erasing a person's data needs from this request."""
    return DataContext(release=inputs.release(), today=inputs.today(), timezone=inputs.timezone())


def personal_data_download(user: User) -> Response:
    """Everything stored about `user` as a JSON file download."""
    data = accounts.export_personal_data(user, personal_data_context())
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="hue-literacy-data-{user.id}.json"'},
    )
