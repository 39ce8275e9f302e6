"""The harvest report page's body, built and rendered once per state of the rows it is made of.

A programme's report reads a dozen tables and renders tens of kilobytes, some 30 ms of a core, and
managers, HR and coaches open it again and again while it hardly changes. The rendered body is
kept in each process's memory (the ``reports`` cache) under the report's version
(``selectors.report_version``), which changes whenever any row the report reads does, however it
was changed; a kept body is therefore never out of date, and a deploy starts with none. On a
database without row versions (SQLite, for development) nothing is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from coaching.models import Community
from programmes.models import Programme

from .exports import report_context
from .report import harvest_report
from .selectors import report_version


@dataclass(frozen=True)
class ReportBody:
    """What the report page shows of the report: the harvest session it belongs to and the
    rendered sections (those of the PDF, ``harvest/_report_sections.html``)."""

    session_title: str
    session_starts_at: datetime | None
    sections: SafeString


def report_body(
    programme: Programme, community: Community | None, communities: list[Community], *, can_answer: bool
) -> ReportBody:
    """The report of ``programme`` (or of ``community``, one of its ``communities``) as the page
    shows it, with links to answer when ``can_answer``: kept, or built, rendered and kept."""
    version = report_version(programme)
    key = f"harvest-report:{programme.pk}:{community.pk if community else ''}:{can_answer:d}:{get_language()}:{version}"
    if version is not None and (body := caches["reports"].get(key)) is not None:
        return body
    report = harvest_report(programme, community, communities=communities)
    session = report.harvest_session
    body = ReportBody(
        session_title=session.display_title if session else "",
        session_starts_at=session.starts_at if session else None,
        sections=SafeString(
            render_to_string("harvest/_report_sections.html", report_context(report, can_answer=can_answer))
        ),
    )
    if version is not None:
        caches["reports"].set(key, body)
    return body
