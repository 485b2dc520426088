from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from api import catalog as open_data_catalog
from flemingsberg import views as site_views

admin.site.site_header = _("Flemingsberg 2050 – administration")
admin.site.site_title = _("Flemingsberg 2050")
admin.site.index_title = _("Programme, action plans and indicators")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("api.urls")),
    # Where harvesters look for a DCAT catalogue by convention (the same document).
    path("datasets/dcat", open_data_catalog.catalog, name="datasets_dcat"),
]

# Swedish unprefixed, English under /en/; path segments are translated too.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path(pgettext_lazy("url", "indicators/"), include("indicators.urls")),
    path(pgettext_lazy("url", "action-plan/"), include("actionplan.urls")),
    path(
        pgettext_lazy("url", "accessibility/"),
        site_views.accessibility_statement,
        name="accessibility",
    ),
    path(pgettext_lazy("url", "search/"), include("search.urls")),
    path("", include("programme.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
