from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import refresh_role_groups

        # A new model (or permission) added by a migration reaches the roles' existing
        # groups, not only groups created afterwards: run after each content app's
        # permissions have been created (auth's own post_migrate handler, connected first).
        post_migrate.connect(refresh_role_groups, dispatch_uid="programme-refresh-role-groups")

        # The programme PDF is rendered by the task worker (flemingsberg.renders).
        from flemingsberg import renders

        from .pdf_views import ProgrammeRenderer

        renders.register(ProgrammeRenderer())
