"""publiccode.yml describes the software (publiccode.yml standard 0.4), in Swedish and English."""

from pathlib import Path

import yaml
from django.conf import settings

REQUIRED = [
    "publiccodeYmlVersion",
    "name",
    "url",
    "platforms",
    "categories",
    "developmentStatus",
    "softwareType",
    "description",
    "legal",
    "maintenance",
    "localisation",
]


def _publiccode() -> dict:
    return yaml.safe_load((Path(settings.BASE_DIR) / "publiccode.yml").read_text())


def test_publiccode_has_the_standards_required_keys():
    data = _publiccode()
    assert data["publiccodeYmlVersion"] == "0.4"
    for key in REQUIRED:
        assert data.get(key), key
    assert data["developmentStatus"] in {"concept", "development", "beta", "stable", "obsolete"}
    assert data["legal"]["license"] == "EUPL-1.2"  # the licence pyproject.toml names
    assert data["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    assert data["localisation"]["availableLanguages"] == ["sv", "en"]


def test_publiccode_describes_the_software_in_swedish_and_english():
    description = _publiccode()["description"]
    assert set(description) == {"sv", "en"}
    for language, text in description.items():
        assert len(text["shortDescription"]) <= 150, language
        assert 150 <= len(text["longDescription"]) <= 10000, language
        assert text["features"], language
