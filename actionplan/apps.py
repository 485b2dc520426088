from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "actionplan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from flemingsberg import archive, imports

        from .archival import archive_items
        from .importing import importer
        from .round_report import archive_items as round_archive_items

        imports.register(importer)
        # The plan's PDFs are rendered by the task worker (flemingsberg.renders).
        from .renders import register as register_renders

        register_renders()
        # The year's adopted plans and their stored documents go into every e-archive
        # package (manage.py export_archive).
        archive.register("action-plan", archive_items)
        # Closed follow-up rounds with their stored reports, by the year they closed.
        archive.register("follow-up-round", round_archive_items)
