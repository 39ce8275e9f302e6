from django.urls import path

from . import best_practice_views

app_name = "best_practices"

urlpatterns = [
    path("", best_practice_views.practice_list, name="list"),
    path("new/", best_practice_views.practice_edit, name="create"),
    path("<int:practice_pk>/", best_practice_views.practice_detail, name="detail"),
    path("<int:practice_pk>/edit/", best_practice_views.practice_edit, name="edit"),
]
