"""The harvest report as PDF (WeasyPrint), CSV and Excel: the page's figures, suppressions and
quotes, never more.

The PDF is the page's own sections (``harvest/_report_sections.html``) in a print layout. CSV
and Excel hold one row per figure or text: section, subject, detail, figure, text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coaching.models import Community
from programmes.exports import as_csv, as_xlsx, neutralise
from programmes.models import Programme

from .models import MIN_GROUP_SIZE
from .report import HarvestReport

Cell = str | int | float


def report_context(report: HarvestReport, **extra: Any) -> dict[str, Any]:
    """What the report's templates need: the page's and the PDF's sections read the same names."""
    return {"programme": report.programme, "report": report, "min_group": MIN_GROUP_SIZE, **extra}


def report_pdf(context: dict[str, Any]) -> bytes:
    """The report page's sections laid out for paper; nothing is fetched from outside."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("harvest/report_pdf.html", context)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


def _slug(text: str, length: int) -> str:
    """The text as a slug of at most ``length`` characters, cut between words."""
    slug = slugify(text)
    if len(slug) <= length:
        return slug
    cut = slug[: length + 1]
    return cut.rsplit("-", 1)[0] if "-" in cut else slug[:length]


def filename(programme: Programme, community: Community | None, extension: str) -> str:
    """``oogstrapport-<programme>[-<community>].<extension>``: ASCII, safe in a header."""
    parts = [_("harvest-report"), _slug(programme.title, 60) or "leertraject"]
    if community:
        parts.append(_slug(community.name, 40))
    return f"{'-'.join(part for part in parts if part)}.{extension}"


def _date(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def report_rows(report: HarvestReport) -> list[list[Cell]]:
    """A header and one row per figure or text, in the order of the page."""
    hidden = _("Fewer than %(count)s people: not shown") % {"count": MIN_GROUP_SIZE}
    scope = report.community.name if report.community else _("Whole programme")
    rows: list[list[Cell]] = [
        [_("Section"), _("Subject"), _("Detail"), _("Figure"), _("Text")],
        [_("Harvest report"), report.programme.title, scope, "", ""],
    ]

    section = _("Participation")
    if report.participation is None:
        rows.append([section, "", "", "", hidden])
    else:
        part = report.participation
        rows += [
            [section, _("Enrolled"), "", part.enrolled, ""],
            [section, _("Active"), f"{part.active_percentage}%", part.active, ""],
            [section, _("With a learning plan"), f"{part.with_plan_percentage}%", part.with_plan, ""],
            [section, _("With reflections"), f"{part.with_reflections_percentage}%", part.with_reflections, ""],
        ]

    section = _("Learning goals")
    goals = report.goals
    if goals.total is None:
        rows.append([section, "", "", "", hidden])
    else:
        rows += [
            [section, _("Achieved"), "", goals.achieved, ""],
            [section, _("Partly achieved"), "", goals.partly, ""],
            [section, _("Not achieved"), "", goals.not_achieved, ""],
            [section, _("No outcome yet"), "", goals.open, ""],
        ]
    rows += [[_("Why partly or not"), reason.label, "", "", reason.why] for reason in goals.reasons]

    for item in report.contributions:
        source = item.community.name if item.community else _("Individual contribution")
        contribution = item.contribution
        for label, text in (
            (_("What we achieved"), contribution.achieved),
            (_("What we did not achieve"), contribution.not_achieved),
            (_("Why not"), contribution.why_not),
            (_("What we learned"), contribution.learned),
        ):
            if text:
                rows.append([_("Contribution"), source, label, "", text])
        rows += [[_("Managers' answer"), source, _answer_detail(answer), "", answer.text] for answer in item.answers]
    rows += [
        [_("Managers' answer"), answer.theme, _answer_detail(answer), "", answer.text]
        for answer in report.theme_answers
    ]

    for block in report.community_actions:
        for action in block.actions:
            detail = " · ".join(
                part for part in (action.title, action.get_status_display(), action.get_outcome_display()) if part
            )
            rows.append([_("Community action"), block.community.name, detail, "", action.outcome_reason])

    section = _("Competency growth")
    for figure in report.growth:
        if not figure.shown:
            rows.append([section, figure.name, "", "", hidden])
            continue
        growth = figure.growth
        rows += [
            [section, figure.name, _("People"), growth.people, ""],
            [section, figure.name, _("Start"), _rounded(growth.start), ""],
            [section, figure.name, _("End"), _rounded(growth.end), ""],
        ]

    for quote in report.quotes:
        source = quote.community or _("Individual contribution")
        detail = ", ".join(part for part in (quote.session, _date(quote.said_on), quote.name) if part)
        rows.append([_("Quote"), source, detail, "", quote.text])

    for initiative in report.initiatives:
        title = initiative.initiative.title
        if initiative.signups is None:
            rows.append([_("New initiative"), title, _("Sign-ups"), "", hidden])
        else:
            rows.append([_("New initiative"), title, _("Sign-ups"), initiative.signups, ""])
    return rows


def _rounded(value: float | None) -> Cell:
    return "" if value is None else round(value, 1)


def _answer_detail(answer: Any) -> str:
    parts = [str(answer.get_decision_display())]
    if answer.act_by:
        parts.append(_("by %(date)s") % {"date": _date(answer.act_by)})
    parts.append(_date(answer.created_at))
    if answer.changed:
        parts.append(_("changed on %(date)s") % {"date": _date(answer.updated_at)})
    return ", ".join(parts)


def _text(cell: Cell) -> Cell:
    return cell if isinstance(cell, int | float) else neutralise(cell)


def report_csv(report: HarvestReport) -> bytes:
    """Semicolon-separated with Dutch decimal commas, as Excel in the Netherlands opens it."""
    rows = [
        [formats.number_format(cell, 1) if isinstance(cell, float) else str(_text(cell)) for cell in row]
        for row in report_rows(report)
    ]
    return as_csv(rows)


def report_xlsx(report: HarvestReport) -> bytes:
    """The same rows as Excel, with numbers as numbers."""
    return as_xlsx([[_text(cell) for cell in row] for row in report_rows(report)], title=_("Harvest report"))
