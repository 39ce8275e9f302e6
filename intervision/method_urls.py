from django.urls import path

from . import method_views

app_name = "intervision_methods"

urlpatterns = [
    path("", method_views.method_list, name="list"),
    path("new/", method_views.method_create, name="create"),
    path("standard/", method_views.method_seed, name="seed"),
    path("<int:method_pk>/", method_views.method_detail, name="detail"),
    path("<int:method_pk>/edit/", method_views.method_edit, name="edit"),
    path("<int:method_pk>/delete/", method_views.method_delete, name="delete"),
]
