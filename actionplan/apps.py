from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "actionplan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from flemingsberg import imports

        from .importing import importer

        imports.register(importer)
