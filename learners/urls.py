from django.urls import path

from . import views

app_name = "learners"

urlpatterns = [
    path("plan/", views.plan, name="plan"),
    path("plan/print/", views.plan_print, name="plan_print"),
    path("plan/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plan/assessment/", views.assessment, name="assessment"),
    path("plan/assessment/end/", views.assessment, {"moment": "end"}, name="end_assessment"),
    path("plan/growth/", views.growth, name="growth"),
    path("plan/swot/", views.swot, name="swot"),
    path("plan/help/", views.who_can_help, name="who_can_help"),
    path("plan/timeline/", views.timeline, name="timeline"),
    path("plan/goals/new/", views.goal_edit, name="goal_create"),
    path("plan/goals/<int:goal_pk>/", views.goal_detail, name="goal"),
    path("plan/goals/<int:goal_pk>/edit/", views.goal_edit, name="goal_edit"),
    path("plan/goals/<int:goal_pk>/versions/", views.goal_versions, name="goal_versions"),
    path("plan/goals/<int:goal_pk>/actions/<int:action_pk>/done/", views.action_done, name="action_done"),
    path("plan/goals/<int:goal_pk>/reflections/new/", views.reflection_add, name="reflection_add"),
    path("plan/goals/<int:goal_pk>/feedback/new/", views.feedback_ask, name="feedback_ask"),
    path("plan/follow-ups/<int:follow_up_pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("demand/", views.demand, name="demand"),
]
