from django.urls import path

from . import views

app_name = "learners"

urlpatterns = [
    path("plan/", views.plan, name="plan"),
    path("plan/assessment/", views.assessment, name="assessment"),
    path("plan/swot/", views.swot, name="swot"),
    path("plan/goals/new/", views.goal_edit, name="goal_create"),
    path("plan/goals/<int:goal_pk>/", views.goal_detail, name="goal"),
    path("plan/goals/<int:goal_pk>/edit/", views.goal_edit, name="goal_edit"),
    path("plan/goals/<int:goal_pk>/actions/<int:action_pk>/done/", views.action_done, name="action_done"),
    path("plan/goals/<int:goal_pk>/reflections/new/", views.reflection_add, name="reflection_add"),
    path("demand/", views.demand, name="demand"),
]
