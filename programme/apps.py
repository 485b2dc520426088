from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        # The programme PDF is rendered by the task worker (flemingsberg.renders).
        from flemingsberg import renders

        from .pdf_views import ProgrammeRenderer

        renders.register(ProgrammeRenderer())
