from django.urls import path

from . import action_views, forum_views, views

app_name = "coaching"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("propose/", views.propose, name="propose"),
    path("new/", views.community_edit, name="create"),
    path("<int:community_pk>/", views.community_detail, name="detail"),
    path("<int:community_pk>/edit/", views.community_edit, name="edit"),
    path("<int:community_pk>/join/", views.join, name="join"),
    path("<int:community_pk>/leave/", views.leave, name="leave"),
]

# Forum of a community (members and its coaches).
urlpatterns += [
    path("<int:community_pk>/forum/", forum_views.thread_list, name="forum"),
    path("<int:community_pk>/forum/new/", forum_views.thread_create, name="forum_new"),
    path("<int:community_pk>/forum/<int:thread_pk>/", forum_views.thread_detail, name="forum_thread"),
    path(
        "<int:community_pk>/forum/<int:thread_pk>/posts/<int:post_pk>/edit/",
        forum_views.post_edit,
        name="forum_post_edit",
    ),
]

# Actions board of a community (everyone who sees it reads; members and its coaches change it).
urlpatterns += [
    path("<int:community_pk>/actions/", action_views.board, name="actions"),
    path("<int:community_pk>/actions/new/", action_views.action_edit, name="action_create"),
    path("<int:community_pk>/actions/<int:action_pk>/edit/", action_views.action_edit, name="action_edit"),
    path("<int:community_pk>/actions/<int:action_pk>/join/", action_views.join, name="action_join"),
    path("<int:community_pk>/actions/<int:action_pk>/leave/", action_views.leave, name="action_leave"),
    path("<int:community_pk>/actions/<int:action_pk>/outcome/", action_views.outcome, name="action_outcome"),
]
