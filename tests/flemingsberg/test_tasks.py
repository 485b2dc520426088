"""The task queue: the database backend by default, a worker that runs what is queued."""

import pytest
from django.conf import settings as django_settings
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult


@task()
def add(a: int, b: int) -> int:
    return a + b


def test_the_portal_queues_tasks_in_the_database_by_default():
    # The suite runs tasks immediately (tests/conftest.py); the settings module itself must
    # not, or every PDF would be rendered inside a visitor's request again.
    from flemingsberg import settings as portal_settings

    assert portal_settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert django_settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


@pytest.mark.django_db(transaction=True)
def test_a_queued_task_waits_for_the_worker_and_the_worker_runs_it(task_worker):
    result = add.enqueue(2, 3)
    assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.READY
    task_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
