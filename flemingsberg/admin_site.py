"""The admin site: Django's, with a start page per role in front of the model list.

The start page's content comes from the callable ``settings.ADMIN_START_PAGE`` names
(``actionplan.start.context``: it knows rounds, actions and measurements, which this package
does not import); the model list stays below it on the same page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.module_loading import import_string


class PortalAdminSite(admin.AdminSite):
    index_template = "admin/start.html"
    # The model list is on the start page and in the breadcrumbs; without the sidebar's
    # 270 px the action list shows party, status, progress and last update at 1280 px.
    enable_nav_sidebar = False

    def index(self, request, extra_context=None):
        start_page = import_string(settings.ADMIN_START_PAGE)
        return super().index(request, {**start_page(request), **(extra_context or {})})


class PortalAdminConfig(AdminConfig):
    default_site = "flemingsberg.admin_site.PortalAdminSite"
