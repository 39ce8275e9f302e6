"""Privacy pages: a person's own data, erasure and the audit trail for HR admins."""

from django.urls import path

from . import audit_views, views

app_name = "privacy"

urlpatterns = [
    path("audit/", audit_views.audit_trail, name="audit"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/erase/", views.erase, name="erase"),
]
