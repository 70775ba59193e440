"""`make test` stops the PostgreSQL server it started, also when the tests fail."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASH = shutil.which("bash") or "/bin/bash"
MAKE = shutil.which("make") or "make"
HAS_POSTGRES = any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))

pytestmark = [
    pytest.mark.skipif(not HAS_POSTGRES or shutil.which("make") is None,
                       reason="needs make and the PostgreSQL server binaries"),
    # Once is enough: the PostgreSQL pass of `make test` would only repeat it.
    pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                       reason="run in the SQLite pass"),
]


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    """Run a command of this repository (absolute paths: bash, make)."""
    return subprocess.run(args, cwd=ROOT, env=env, timeout=300, check=False,  # noqa: S603
                          **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def pg_env(tmp_path):
    """A port and data folder of its own (under /tmp, which the postgres user can reach), and
    a `pytest` that fails after printing the database URL it was given."""
    data = Path(tempfile.mkdtemp(prefix="hue_make_test_pg_"))
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    fake_pytest = fake_bin / "pytest"
    fake_pytest.write_text('#!/bin/sh\necho "url=$TEST_DATABASE_URL"\nexit 1\n')
    fake_pytest.chmod(0o755)
    env = {**os.environ, "HUE_TEST_PG_PORT": str(free_port()), "HUE_TEST_PG_DATA": str(data)}
    env.pop("TEST_DATABASE_URL", None)
    yield env, fake_bin
    run([BASH, "scripts/test-postgres.sh", "stop"], env)
    shutil.rmtree(data, ignore_errors=True)


def server_running(env) -> bool:
    return run([BASH, "scripts/test-postgres.sh", "status"], env).returncode == 0


def test_failing_postgres_tests_still_stop_the_server_make_started(pg_env):
    env, fake_bin = pg_env
    make = run([MAKE, "--no-print-directory", "test-postgres", f"BIN={fake_bin}"], env,
               capture_output=True, text=True)
    assert make.returncode != 0  # the failure is reported
    assert f"url=postgresql+psycopg://hue@127.0.0.1:{env['HUE_TEST_PG_PORT']}/" in make.stdout
    assert not server_running(env)


def test_a_server_that_was_already_running_is_left_running(pg_env):
    env, fake_bin = pg_env
    assert run([BASH, "scripts/test-postgres.sh", "start"], env,
               capture_output=True).returncode == 0
    run([MAKE, "--no-print-directory", "test-postgres", f"BIN={fake_bin}"], env,
        capture_output=True)
    assert server_running(env)
