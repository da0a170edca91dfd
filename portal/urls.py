from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import views

api_v1 = [
    path("", include("participants.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("documents.api_urls")),
    path("", include("audit.api_urls")),
    path("", include("sharing.api_urls")),
    path("", include("meetings.api_urls")),
    path("", include("exchange.api_urls")),
    path("", include("regionaldata.api_urls")),
    path("", include("operations.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        # Swagger UI injects <style> elements at run time; scripts stay nonce/self-only on this page too.
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("csp-report/", views.csp_report, name="csp-report"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("participants/", include("participants.urls")),
    path("documents/", include("documents.urls")),
    path("audit/", include("audit.urls")),
    path("sharing/", include("sharing.urls")),
    path("meetings/", include("meetings.urls")),
    path("exchange/", include("exchange.urls")),
    path("statistics/", include("regionaldata.urls")),
    path("", include("operations.urls")),
    path("api/v1/", include(api_v1)),
]
if settings.ADMIN_ENABLED:
    urlpatterns.append(path("admin/", admin.site.urls))
