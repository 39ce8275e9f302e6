from django.urls import path

from . import views

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
    path("competencies/", views.competency_list, name="competencies"),
    path("competencies/new/", views.competency_edit, name="competency_create"),
    path("competencies/<int:pk>/", views.competency_edit, name="competency_edit"),
]
