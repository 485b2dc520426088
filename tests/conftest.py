"""Personas: a visitor, a coordinator per party, a programme editor, the steering group."""

import pytest
from django.test import Client, override_settings
from django.utils import translation

from programme.models import Organisation, Programme, StaffMembership
from programme.services import create_staff_member

PARTIES = {
    "region-stockholm": "Region Stockholm",
    "huddinge": "Huddinge kommun",
    "botkyrka": "Botkyrka kommun",
}


# Tasks run at once, inside the test that queues them, with the immediate backend of
# django-tasks (Django 6: django.tasks.backends.immediate.ImmediateBackend). A test that needs
# the database backend and a worker sets settings.TASKS itself (see tests/flemingsberg/).
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_immediately():
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    # Each test starts in Swedish, whatever language an earlier request activated.
    translation.activate(settings.LANGUAGE_CODE)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render templates without a collectstatic manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def parties(db) -> dict[str, Organisation]:
    """The three parties (and the other actors), as the content fixtures ship them."""
    from django.core.management import call_command

    if not Organisation.objects.filter(slug__in=PARTIES).exists():
        call_command("loaddata", "organisations", verbosity=0)
    return {slug: Organisation.objects.get(slug=slug) for slug in PARTIES}


STAFF_PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_staff(parties):
    """A staff user of a party in a role, with the role's permissions."""

    def make(role: str, party: str = "region-stockholm", username: str | None = None):
        return create_staff_member(
            username=username or f"{role}-{party}",
            organisation=parties[party],
            role=role,
            password=STAFF_PASSWORD,
        )

    return make


@pytest.fixture
def visitor() -> Client:
    return Client()


@pytest.fixture
def editor(make_staff):
    return make_staff(StaffMembership.Role.EDITOR)


@pytest.fixture
def steering_member(make_staff):
    return make_staff(StaffMembership.Role.STEERING)


@pytest.fixture
def coordinator_region(make_staff):
    return make_staff(StaffMembership.Role.COORDINATOR, "region-stockholm")


@pytest.fixture
def coordinator_huddinge(make_staff):
    return make_staff(StaffMembership.Role.COORDINATOR, "huddinge")


@pytest.fixture
def coordinator_botkyrka(make_staff):
    return make_staff(StaffMembership.Role.COORDINATOR, "botkyrka")


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def programme_content(db):
    """The real programme content, as `make run` loads it."""
    from django.core.management import call_command

    call_command("load_programme_content", verbosity=0)
    from programme.models import Programme

    return Programme.objects.get(slug="flemingsberg-2050")


@pytest.fixture
def earlier_programme(db) -> Programme:
    """A replaced (earlier) programme version, published: its rows are not the current
    programme's lists."""
    import datetime

    return Programme.objects.create(
        slug="tidigare",
        title="Tidigare program",
        status=Programme.Status.REPLACED,
        version_date=datetime.date(2007, 1, 1),
        is_published=True,
    )


@pytest.fixture
def build_programme(db):
    """Build a small published programme with n goals and strategies (for counting queries)."""
    import datetime

    from indicators.models import SubTarget
    from programme.models import DevelopmentGoal, Programme, Strategy, SubStrategy, Vision

    def build(goals: int = 2, strategies: int = 2, published: bool = True) -> Programme:
        programme = Programme.objects.create(
            slug="test-programme",
            title="Testprogram",
            title_en="Test programme",
            status=Programme.Status.ADOPTED,
            version_date=datetime.date(2017, 5, 15),
            is_published=published,
        )
        Vision.objects.create(
            programme=programme, heading="Vision", text="Visionstext", is_published=True
        )
        goal_objects = []
        for number in range(1, goals + 1):
            goal = DevelopmentGoal.objects.create(
                programme=programme,
                order=number,
                slug=f"mal-{number}",
                title=f"Mål {number}",
                title_en=f"Goal {number}",
                description=f"Beskrivning {number}",
                is_published=True,
            )
            SubTarget.objects.create(
                goal=goal,
                order=1,
                slug=f"delmal-{number}",
                statement=f"Delmål {number}",
                is_published=True,
            )
            goal_objects.append(goal)
        for number in range(1, strategies + 1):
            strategy = Strategy.objects.create(
                programme=programme,
                order=number,
                slug=f"strategi-{number}",
                title=f"Strategi {number}",
                title_en=f"Strategy {number}",
                is_published=True,
            )
            strategy.goals.set(goal_objects)
            for sub_number in range(1, 5):
                SubStrategy.objects.create(
                    strategy=strategy,
                    order=sub_number,
                    slug=f"del-{sub_number}",
                    title=f"Delstrategi {number}.{sub_number}",
                    text="Text",
                    is_published=True,
                )
        return programme

    return build


@pytest.fixture(autouse=True)
def _import_storage(settings, tmp_path):
    """Uploaded files go to a folder of the test (django-import-export's MediaStorage)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "import_export": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "imports", "base_url": None},
        },
    }


class ImportRun:
    """What staff see of an import: the upload's answer, then the job (None if refused)."""

    def __init__(self, client, response):
        from flemingsberg.models import ImportJob

        self.client = client
        self.response = response
        self.job = None
        if response.status_code == 302:
            self.job = ImportJob.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])

    @property
    def report(self) -> dict:
        return self.job.report

    @property
    def problems(self) -> list[tuple]:
        return [(p["row"], p["column"], p["reason"]) for p in self.job.report["problems"]]

    def page(self) -> str:
        return self.client.get(self.response.url).content.decode()

    def confirm(self):
        from flemingsberg.imports import importer_for, job_url

        importer = importer_for(self.job.kind)
        target = importer.get_target(self.job.target_id) if self.job.target_id else None
        answer = self.client.post(job_url(importer, target, self.job, "_confirm"))
        self.job.refresh_from_db()
        return answer


@pytest.fixture
def run_import():
    """Upload ``data`` on an import page as ``user`` (the dry run) and, with ``confirm``,
    confirm it when the dry run was clean: the way staff import, through the admin."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def run(user, upload_url: str, data: bytes, *, name="import.csv", confirm=False):
        client = Client()
        client.force_login(user)
        response = client.post(upload_url, {"file": SimpleUploadedFile(name, data)})
        result = ImportRun(client, response)
        if confirm and result.job is not None and result.job.state == "checked":
            result.confirm()
        return result

    return run


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def task_worker(settings, transactional_db, monkeypatch):
    """Tasks go through the real database backend; ``task_worker()`` runs what is queued.

    On PostgreSQL it is a separate ``manage.py db_worker --batch`` process against the test
    database, as in production; on SQLite (an in-memory test database another process cannot
    open) the same worker runs in this process. Committed data only, so the test is
    transactional.
    """
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.core.management import call_command
    from django.db import connection

    settings.TASKS = DATABASE_TASKS

    def run(**env: str) -> None:
        if connection.vendor != "postgresql":
            call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
            return
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        root = Path(__file__).resolve().parents[1]
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--verbosity",
                "0",
            ],
            cwd=root,
            env={
                **os.environ,
                "DATABASE_URL": url,
                "DATABASE_CONN_MAX_AGE": "0",
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                **env,
            },
            check=True,
            timeout=300,
        )

    return run
