from django.urls import path

from . import people_views, views

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
    path("competencies/", views.competency_list, name="competencies"),
    path("competencies/new/", views.competency_edit, name="competency_create"),
    path("competencies/<int:pk>/", views.competency_edit, name="competency_edit"),
]
