"""Database backups that restore: ``pg_dump -Fc`` out, ``pg_restore`` into a fresh database.

Used by ``manage.py backup_database`` and ``manage.py restore_database`` (and ``make backup`` /
``make restore``). PostgreSQL only: that is the production database; a local SQLite file
is backed up by copying it while nothing runs. The client programs (``pg_dump``,
``pg_restore``, Debian's ``postgresql-client``) must be of the server's major version or
newer. The connection comes from ``DATABASES["default"]`` (``DATABASE_URL``); a password
goes to the programs through ``PGPASSWORD``, never on a command line.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connections

DATABASE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class BackupError(Exception):
    """Why a backup or restore cannot be made (the message says what to do)."""


def _settings(alias: str = "default") -> dict:
    database = connections[alias].settings_dict
    if connections[alias].vendor != "postgresql":
        raise BackupError(
            "Backups are made of PostgreSQL databases (DATABASE_URL=postgres://…); this one is "
            f"{connections[alias].vendor}. Copy a SQLite file while the portal is stopped."
        )
    return database


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: apt-get install postgresql-client (of the server's "
            "major version or newer)."
        )
    return path


def _connection_arguments(database: dict) -> tuple[list[str], dict[str, str]]:
    arguments = []
    if database.get("HOST"):
        arguments += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    if database.get("USER"):
        arguments += ["--username", str(database["USER"])]
    environment = {**os.environ}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 – fixed program, arguments are not parsed by a shell
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(target: Path, *, alias: str = "default") -> Path:
    """Dump the database to ``target`` (custom format, compressed), with ``target.sha256``."""
    database = _settings(alias)
    arguments, environment = _connection_arguments(database)
    target.parent.mkdir(parents=True, exist_ok=True)
    _run(
        [
            _program("pg_dump"),
            *arguments,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            str(database["NAME"]),
        ],
        environment,
    )
    Path(f"{target}.sha256").write_text(f"{file_sha256(target)}  {target.name}\n")
    return target


def restore(source: Path, new_database: str, *, alias: str = "default") -> None:
    """Create ``new_database`` on the same server and restore ``source`` into it.

    Never into an existing database: a restore that fails half-way must not leave the
    database in use damaged. Point ``DATABASE_URL`` at the new one once it is checked.
    """
    if not DATABASE_NAME.match(new_database):
        raise BackupError(
            f"“{new_database}” is not a database name: letters, digits and _ only, "
            "not starting with a digit, at most 63 characters."
        )
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    checksum = Path(f"{source}.sha256")
    if checksum.is_file():
        expected = checksum.read_text().split()[0]
        if file_sha256(source) != expected:
            raise BackupError(f"{source} does not match its checksum in {checksum}: damaged.")
    database = _settings(alias)
    arguments, environment = _connection_arguments(database)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [new_database])
        if cursor.fetchone():
            raise BackupError(
                f"The database {new_database} exists already: restore into a new database."
            )
    _run([_program("createdb"), *arguments, new_database], environment)
    try:
        _run(
            [
                _program("pg_restore"),
                *arguments,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                new_database,
                str(source),
            ],
            environment,
        )
    except BackupError:
        _run([_program("dropdb"), *arguments, "--if-exists", new_database], environment)
        raise
