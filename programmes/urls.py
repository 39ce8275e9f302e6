from django.urls import path

from . import event_views, people_views, views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/archive/", views.programme_archive, name="archive"),
    path("<int:pk>/copy/", views.programme_copy, name="copy"),
    path("<int:pk>/phases/new/", views.phase_edit, name="phase_create"),
    path("<int:pk>/phases/<int:phase_pk>/", views.phase_edit, name="phase_edit"),
    path("<int:pk>/phases/<int:phase_pk>/delete/", views.phase_delete, name="phase_delete"),
    path("<int:pk>/assessment/", views.assessment_edit, name="assessment"),
    path("<int:pk>/people/", people_views.people, name="people"),
    path("<int:pk>/people/add/", people_views.person_add, name="person_add"),
    path("<int:pk>/people/import/", people_views.people_import, name="people_import"),
    path("<int:pk>/people/import/confirm/", people_views.people_import_confirm, name="people_import_confirm"),
    path("<int:pk>/people/invite/", people_views.people_invite, name="people_invite"),
    path("<int:pk>/people/<int:membership_pk>/resend/", people_views.invitation_resend, name="invitation_resend"),
    path("<int:pk>/people/<int:membership_pk>/revoke/", people_views.invitation_revoke, name="invitation_revoke"),
    path("<int:pk>/people/roles/", people_views.role_add, name="role_add"),
    path("<int:pk>/people/roles/<int:membership_pk>/remove/", people_views.role_remove, name="role_remove"),
    path("<int:pk>/people/export.<str:extension>", people_views.people_export, name="people_export"),
    path("<int:pk>/events/", event_views.event_list, name="events"),
    path("<int:pk>/events/new/", event_views.event_edit, name="event_create"),
    path("<int:pk>/events/<int:event_pk>/", event_views.event_detail, name="event_detail"),
    path("<int:pk>/events/<int:event_pk>/edit/", event_views.event_edit, name="event_edit"),
    path("<int:pk>/events/<int:event_pk>/delete/", event_views.event_delete, name="event_delete"),
    path("<int:pk>/events/<int:event_pk>/sign-up/", event_views.event_sign_up, name="event_sign_up"),
    path("<int:pk>/events/<int:event_pk>/cancel/", event_views.event_cancel, name="event_cancel"),
    path("<int:pk>/events/<int:event_pk>/event.ics", event_views.event_calendar, name="event_calendar"),
    path("competencies/", views.competency_list, name="competencies"),
    path("competencies/new/", views.competency_edit, name="competency_create"),
    path("competencies/<int:pk>/", views.competency_edit, name="competency_edit"),
]
