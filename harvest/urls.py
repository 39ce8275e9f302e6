"""The harvest of one programme, under /programmes/<pk>/harvest/."""

from django.urls import path

from . import report_views, session_views, views

app_name = "harvest"

urlpatterns: list = []

# Preparing the harvest, goal outcomes, the story and the closing view (harvest/views.py).
urlpatterns += [
    path("", views.hub, name="hub"),
    path("contribution/", views.contribution, name="contribution"),
    path("communities/<int:community_pk>/contribution/", views.community_contribution, name="community_contribution"),
    path("quotes/<int:quote_pk>/withdraw/", views.quote_withdraw, name="quote_withdraw"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("story/", views.story, name="story"),
    path("closing/", views.closing, name="closing"),
]

# The session's initiatives and room screen, managers' answers, recognition (harvest/session_views.py).
urlpatterns += [
    path("initiatives/", session_views.initiative_list, name="initiatives"),
    path("initiatives/state/", session_views.initiatives_state, name="initiatives_state"),
    path("initiatives/<int:initiative_pk>/sign-up/", session_views.sign_up, name="sign_up"),
    path("initiatives/<int:initiative_pk>/withdraw/", session_views.withdraw, name="withdraw"),
    path("room/", session_views.room, name="room"),
    path("answers/new/", session_views.answer_new, name="answer_new"),
    path("answers/<int:answer_pk>/", session_views.answer_edit, name="answer_edit"),
    path("recognition/", session_views.recognise, name="recognise"),
]

# The managers' harvest report and its exports (harvest/report_views.py).
urlpatterns += [
    path("report/", report_views.report, name="report"),
    path("report/exports/new/", report_views.export_new, name="report_export_new"),
    path("report/exports/<int:export_pk>/", report_views.export_detail, name="report_export"),
    path("report/exports/<int:export_pk>/state/", report_views.export_state, name="report_export_state"),
    path("report/exports/<int:export_pk>/report.pdf", report_views.export_pdf, name="report_export_pdf"),
    path("report.csv", report_views.report_csv, name="report_csv"),
    path("report.xlsx", report_views.report_xlsx, name="report_xlsx"),
]
