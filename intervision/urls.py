from django.urls import path

from . import group_views, live_views, session_views, views

app_name = "intervision"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("groups/compose/", group_views.compose, name="compose"),
    path("groups/move/", group_views.move, name="move"),
    path("groups/<int:group_pk>/", group_views.group_detail, name="group"),
    path("wishes/", group_views.wishes, name="wishes"),
    # The live session guide (intervision/live_views.py).
    path("sessions/<int:session_pk>/live/", live_views.guide, name="live"),
    path("sessions/<int:session_pk>/live/state/", live_views.state, name="live_state"),
    path("sessions/<int:session_pk>/live/start/", live_views.start, name="live_start"),
    path("sessions/<int:session_pk>/live/next/", live_views.next_step, name="live_next"),
    path("sessions/<int:session_pk>/live/previous/", live_views.previous_step, name="live_previous"),
    path("sessions/<int:session_pk>/live/end/", live_views.end, name="live_end"),
    path("sessions/<int:session_pk>/live/notes/", live_views.add_note, name="live_note"),
    path("sessions/<int:session_pk>/live/learning-point/", live_views.learning_point, name="live_learning_point"),
    path(
        "sessions/<int:session_pk>/learning-points/<int:point_pk>/to-plan/",
        live_views.to_plan,
        name="learning_point_to_plan",
    ),
    # Sessions: a group's sessions, planning, the session page and the case (intervision/session_views.py).
    path("groups/<int:group_pk>/sessions/", session_views.group_sessions, name="group_sessions"),
    path("groups/<int:group_pk>/sessions/new/", session_views.session_create, name="session_create"),
    path("sessions/<int:session_pk>/", session_views.session_detail, name="session_detail"),
    path("sessions/<int:session_pk>/edit/", session_views.session_edit, name="session_edit"),
    path("sessions/<int:session_pk>/cancel/", session_views.session_cancel, name="session_cancel"),
    path("sessions/<int:session_pk>/case/", session_views.case_form, name="case_form"),
]
