"""Packages for an e-archive: a year's decisions and stored documents, with checksums.

``manage.py export_archive YEAR`` writes one dated folder (or zip) in the spirit of
Riksarkivet's FGS package structure: the files themselves, the content as JSON, and a
manifest that lists every file with its SHA-256, size and media type.

    flemingsberg-2050-archive-2025-20260115/
      manifest.json        package: who, when, what; every other file: path, sha256, size,
                           media type, the record it belongs to
      sha256sums.txt       the same checksums, for ``sha256sum -c``
      content.json         every record: kind, identifier, title, date, decision, data
      records/<kind>/<identifier>/record.json
      records/<kind>/<identifier>/<stored files>     e.g. the adopted plan's PDF/A-3a

Each app contributes its records through one registration (``register("action-plan",
provider)`` in its ``AppConfig.ready``): a provider is a function of the year that yields
:class:`ArchiveRecord`. A stored file whose bytes no longer match the SHA-256 recorded
when it was stored stops the export: an archive must not receive a damaged document.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.utils import timezone

PACKAGE_PREFIX = "flemingsberg-2050-archive"
MANIFEST = "manifest.json"
CHECKSUMS = "sha256sums.txt"
CONTENT = "content.json"


@dataclass(frozen=True)
class ArchiveFile:
    name: str
    content: bytes
    media_type: str
    description: str = ""
    #: The SHA-256 recorded when the file was stored; checked before it is packed.
    recorded_sha256: str | None = None
    created: datetime.datetime | None = None


@dataclass(frozen=True)
class ArchiveRecord:
    """One thing decided or reported: its metadata, its data, its stored documents."""

    kind: str
    identifier: str
    title: str
    date: datetime.date
    content: Any
    decision: dict | None = None
    files: list[ArchiveFile] = field(default_factory=list)


class ArchiveIntegrityError(Exception):
    """A stored document's bytes do not match its recorded checksum."""


Provider = Callable[[int], Iterable[ArchiveRecord]]
_PROVIDERS: dict[str, Provider] = {}


def register(kind: str, provider: Provider) -> None:
    """Add a kind of record to every export (called from an app's ``ready``)."""
    _PROVIDERS[kind] = provider


def registered_kinds() -> list[str]:
    return sorted(_PROVIDERS)


def collect(year: int) -> list[ArchiveRecord]:
    return [record for kind in registered_kinds() for record in _PROVIDERS[kind](year)]


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")


def _record_json(record: ArchiveRecord, folder: str) -> dict:
    return {
        "kind": record.kind,
        "identifier": record.identifier,
        "title": record.title,
        "date": record.date.isoformat(),
        "decision": record.decision,
        "files": [f"{folder}/{file.name}" for file in record.files],
        "content": record.content,
    }


def build_package(year: int, *, now: datetime.datetime | None = None) -> tuple[str, dict]:
    """The package's name and its files (path → bytes), manifest and checksums included."""
    now = now or timezone.now()
    name = f"{PACKAGE_PREFIX}-{year}-{timezone.localtime(now):%Y%m%d}"
    records = collect(year)
    files: dict[str, tuple[bytes, str, str, str]] = {}  # path → content, media type, record, desc

    for record in records:
        folder = f"records/{record.kind}/{record.identifier}"
        for stored in record.files:
            digest = sha256(stored.content)
            if stored.recorded_sha256 and stored.recorded_sha256 != digest:
                raise ArchiveIntegrityError(
                    f"{record.kind} {record.identifier}: {stored.name} does not match the "
                    f"SHA-256 recorded when it was stored ({stored.recorded_sha256})."
                )
            files[f"{folder}/{stored.name}"] = (
                stored.content,
                stored.media_type,
                record.identifier,
                stored.description,
            )
        files[f"{folder}/record.json"] = (
            _json(_record_json(record, folder)),
            "application/json",
            record.identifier,
            "The record's metadata and data",
        )
    files[CONTENT] = (
        _json(
            {
                "year": year,
                "records": [_record_json(r, f"records/{r.kind}/{r.identifier}") for r in records],
            }
        ),
        "application/json",
        "",
        "Every record of the package",
    )

    manifest = {
        "package": {
            "name": name,
            "created": now.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
            "year": year,
            "creator": "Flemingsberg 2050 (Region Stockholm, Huddinge kommun, Botkyrka kommun)",
            "system": "Flemingsberg 2050 portal",
            "kinds": registered_kinds(),
            "records": len(records),
            "checksum_algorithm": "SHA-256",
        },
        "files": [
            {
                "path": path,
                "sha256": sha256(content),
                "size": len(content),
                "media_type": media_type,
                "record": record or None,
                "description": description,
            }
            for path, (content, media_type, record, description) in sorted(files.items())
        ],
    }
    contents = {path: content for path, (content, *_rest) in files.items()}
    contents[CHECKSUMS] = "".join(
        f"{entry['sha256']}  {entry['path']}\n" for entry in manifest["files"]
    ).encode()
    contents[MANIFEST] = _json(manifest)
    return name, contents


def write_package(year: int, destination: Path, *, as_zip: bool = False) -> Path:
    """Write the year's package under ``destination``; returns the folder or zip."""
    name, contents = build_package(year)
    destination.mkdir(parents=True, exist_ok=True)
    if as_zip:
        target = destination / f"{name}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path, content in sorted(contents.items()):
                bundle.writestr(f"{name}/{path}", content)
        return target
    target = destination / name
    if target.exists():
        raise FileExistsError(f"{target} exists already: an archive package is never overwritten.")
    for path, content in sorted(contents.items()):
        file_path = target / PurePosixPath(path)
        file_path.parent.mkdir(parents=True, exist_ok=True)
        file_path.write_bytes(content)
    return target


def read_package(path: Path) -> dict[str, bytes]:
    """A package's files (path inside the package → bytes), from a folder or a zip."""
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as bundle:
            names = [name for name in bundle.namelist() if not name.endswith("/")]
            root = names[0].split("/", 1)[0] + "/"
            return {name.removeprefix(root): bundle.read(name) for name in names}
    return {
        file.relative_to(path).as_posix(): file.read_bytes()
        for file in sorted(path.rglob("*"))
        if file.is_file()
    }


def verify_package(path: Path) -> list[str]:
    """Problems found when checking a package against its manifest (empty: all good)."""
    contents = read_package(path)
    manifest = json.loads(contents[MANIFEST])
    problems = []
    listed = {entry["path"] for entry in manifest["files"]}
    for entry in manifest["files"]:
        content = contents.get(entry["path"])
        if content is None:
            problems.append(f"missing: {entry['path']}")
        elif sha256(content) != entry["sha256"] or len(content) != entry["size"]:
            problems.append(f"checksum or size differs: {entry['path']}")
    for extra in sorted(set(contents) - listed - {MANIFEST, CHECKSUMS}):
        problems.append(f"not in the manifest: {extra}")
    return problems
