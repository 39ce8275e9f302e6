"""URL configuration: one include per app, allauth under /account/."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from learners import views as learner_views
from programmes import people_views

from . import views

# A database that cannot be reached answers 503 "briefly unavailable" instead of the 500 page.
handler500 = "leertraject.views.server_error"

admin.site.site_header = _("Leertraject administration")
admin.site.site_title = _("Leertraject")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("toegankelijkheid", views.accessibility_statement, name="accessibility_statement"),
    path("privacyverklaring", views.privacy_statement, name="privacy_statement"),
    path("account/", include("allauth.urls")),
    path("i18n/setlang/", account_views.language_switch, name="set_language"),
    path("organisation/settings/", account_views.organisation_settings, name="organisation_settings"),
    path("organisation/<slug:slug>/logo", account_views.organisation_logo, name="organisation_logo"),
    path("programmes/", include("programmes.urls")),
    path("programmes/<int:pk>/", include("learners.urls")),
    path("programmes/<int:pk>/communities/", include("coaching.urls")),
    path("programmes/<int:pk>/intervision/", include("intervision.urls")),
    path("programmes/<int:pk>/coaching/", include("coaching.session_urls")),
    path("programmes/<int:pk>/harvest/", include("harvest.urls")),
    path("best-practices/", include("coaching.best_practice_urls")),
    path("intervision-methods/", include("intervision.method_urls")),
    path("invitation/<str:code>/", people_views.invitation, name="invitation"),
    path("feedback/<str:token>/", learner_views.feedback_answer, name="feedback_answer"),
    path("notifications/", include("notifications.urls")),
    path("privacy/", include("privacy.urls")),
    path("admin/", admin.site.urls),
]
