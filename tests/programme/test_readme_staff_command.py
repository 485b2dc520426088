"""The README's staff-account command works exactly as written, after `make run` has set
things up, the way a newcomer meets it: a copy of the project, a clean environment, the
command line taken from the README (issue 11, "tests that can fail")."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "Anna-lokalt-konto-2026"  # a throwaway account in a temporary copy


def _readme_command() -> str:
    """The command of the README's "Staff accounts and roles" section, lines joined."""
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Staff accounts and roles", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    command = block.replace("\\\n", " ")
    return re.sub(r"\s+#.*$", "", command.strip(), flags=re.M)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project as a clone has it, with this virtualenv (no second install)."""
    copy = tmp_path_factory.mktemp("clone") / "portal"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            ".env",
            "db.sqlite3",
            "media",
            "staticfiles",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
            "bench-results",
            "*.egg-info",
            "tests",
        ),
    )
    (copy / ".venv").symlink_to(Path(sys.prefix))
    return copy


def _run(project: Path, command: str, **extra_env) -> subprocess.CompletedProcess:
    # A clean environment: what a shell on a fresh machine has, not this test run's settings.
    env = {"PATH": os.environ["PATH"], "HOME": str(project), "LANG": "C.UTF-8", **extra_env}
    return subprocess.run(  # noqa: S603 – our own commands in our own copy
        shlex.split(command), cwd=project, env=env, capture_output=True, text=True, timeout=300
    )


def test_readme_command_names_what_is_missing_before_make_run(project):
    command = _readme_command().replace("…", PASSWORD)
    result = _run(project, command.split(" ", 1)[1])  # without the variable prefix
    assert result.returncode != 0
    assert "make run" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "db.sqlite3").exists()


def test_readme_staff_command_works_as_written_after_make_run(project):
    # What `make run` does before serving: the .env target, then the setup commands.
    assert _run(project, "make .env").returncode == 0
    assert "DEBUG=1" in (project / ".env").read_text()
    result = _run(project, _readme_command().split(" ", 1)[1])
    assert result.returncode != 0  # no database yet: a clear message, not a traceback
    assert "make run" in result.stderr and "Traceback" not in result.stderr
    for setup in ("migrate --no-input", "load_programme_content"):
        done = _run(project, f".venv/bin/python manage.py {setup}")
        assert done.returncode == 0, done.stderr

    readme = _readme_command()
    assert readme.startswith("FLEMINGSBERG_STAFF_PASSWORD=… .venv/bin/python manage.py")
    variable, command = readme.replace("…", PASSWORD).split(" ", 1)
    name, value = variable.split("=", 1)
    result = _run(project, command, **{name: value})
    assert result.returncode == 0, result.stderr
    assert "Staff user 'anna' is now" in result.stdout
    assert "Huddinge kommun" in result.stdout
