"""Roster import pages: upload, preview (nothing written), confirm; the template download."""
from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import Role, role_required
from hue_literacy.roster import services
from hue_literacy.roster.reading import FileRefused, read_rows
from hue_literacy.spreadsheets import csv_bytes

bp = Blueprint("roster", __name__, url_prefix="/households/import",
               template_folder="templates")
officials = role_required(Role.OFFICIAL)
TOKEN = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx|txt)$")
KEEP_UPLOADS = 24 * 3600  # a preview not confirmed within a day is forgotten


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.config.setdefault("ROSTER_MAX_BYTES", 8 * 1024 * 1024)


def _uploads() -> Path:
    folder = Path(current_app.instance_path) / "roster-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_uploads(folder: Path) -> None:
    limit = time.time() - KEEP_UPLOADS
    for path in folder.iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


@bp.route("/")
@officials
def start():
    return render_template("roster/start.html")


@bp.route("/template.csv")
@officials
def template():
    return Response(csv_bytes(services.template_rows()), mimetype="text/csv",
                    headers={"Content-Disposition":
                             'attachment; filename="danh-sach-ho-mau.csv"'})


@bp.post("/preview")
@officials
def preview():
    """Read the file and show what would happen; the file waits on disk, the database is
    not touched until the official confirms."""
    request.max_content_length = current_app.config["ROSTER_MAX_BYTES"]
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("roster/start.html", error=_("Please choose a file.")), 400
    data = upload.read()
    suffix = Path(upload.filename).suffix.lower().lstrip(".")
    try:
        rows = read_rows(data, upload.filename)
    except FileRefused as refused:
        return render_template("roster/start.html", error=str(refused.message)), 400
    # A random name per preview: two officials previewing the same file never share one.
    token = f"{secrets.token_hex(16)}.{suffix}"
    folder = _uploads()
    _forget_old_uploads(folder)
    (folder / token).write_bytes(data)
    plan = services.plan_import(rows, current_user.ward, inputs.framework())
    return render_template("roster/preview.html", plan=plan, token=token,
                           filename=upload.filename)


@bp.post("/confirm")
@officials
def confirm():
    token = request.form.get("token", "")
    path = _uploads() / token if TOKEN.match(token) else None
    if path is None or not path.is_file():
        abort(400)
    rows = read_rows(path.read_bytes(), path.name)
    plan = services.apply_import(rows, current_user.ward, inputs.release(), current_user)
    path.unlink(missing_ok=True)
    flash(_("Imported: %(created)d households created, %(updated)d rows updated, "
            "%(unchanged)d already there, %(refused)d refused.",
            created=plan.households_to_create, updated=plan.count("update"),
            unchanged=plan.count("unchanged"), refused=len(plan.refused)), "success")
    return redirect(url_for("households.index"))
