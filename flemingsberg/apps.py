from django.apps import AppConfig


class FlemingsbergConfig(AppConfig):
    """The project package as an app, so its signal receivers connect in every process."""

    name = "flemingsberg"
    verbose_name = "Flemingsberg 2050"

    def ready(self) -> None:
        from . import cache  # noqa: F401  (connects the page cache's invalidation receivers)
