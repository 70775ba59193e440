"""What the server loads at start: only what every day's pages need (issue 16, memory)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# cryptography (8 MB a process) signs and checks certificates; the certificates' PDF module
# brings WeasyPrint's helpers with it: both only for printing, checking and the key commands.
RARE = ["weasyprint", "pypdf", "openpyxl", "flask_migrate", "alembic", "mutagen", "cryptography",
        "hue_literacy.certificates.pdf", "hue_literacy.certificates.pdf_writer"]


def test_the_server_starts_without_what_only_rare_pages_and_commands_need(tmp_path):
    """The PDF renderer, the signing keys' library, the spreadsheet reader and the migrations
    load when first used: not at start, nor by the warm-up of gunicorn's master."""
    probe = ("import json, sys; import wsgi; from hue_literacy.extensions import db; "
             "from hue_literacy.warm import warm_up; ctx = wsgi.app.app_context(); ctx.push(); "
             "db.create_all(); ctx.pop(); warm_up(wsgi.app); "
             f"print(json.dumps([name for name in {RARE!r} if name in sys.modules]))")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'start.sqlite'}",
               HUE_SECRET_KEY="test", HUE_CERTIFICATE_BASE_URL="https://hoc.hue.gov.vn")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,  # noqa: S603
                            capture_output=True, text=True, check=True).stdout
    assert json.loads(loaded.strip().splitlines()[-1]) == []


def test_migration_commands_are_loaded_when_asked_for(runner):
    """`flask db ...` is Flask-Migrate's own group (its options and commands), loaded late."""
    helped = runner.invoke(args=["db", "--help"])
    assert helped.exit_code == 0, helped.output
    assert "Perform database migrations." in helped.output
    assert "upgrade" in helped.output and "--directory" in helped.output
    assert runner.invoke(args=["db", "heads"]).exit_code == 0
