from django.urls import path

from . import session_views as views

app_name = "coaching_sessions"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sessions/new/", views.session_create, name="create"),
    path("sessions/request/", views.session_request, name="request"),
    path("sessions/<int:session_pk>/", views.session_detail, name="detail"),
    path("sessions/<int:session_pk>/edit/", views.session_edit, name="edit"),
    path("sessions/<int:session_pk>/record/", views.session_record, name="record"),
    path("sessions/<int:session_pk>/cancel/", views.session_cancel, name="cancel"),
    path("sessions/<int:session_pk>/session.ics", views.session_calendar, name="calendar"),
]
