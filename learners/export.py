"""A participant's learning plan on paper: the print page and a PDF, from one template.

Both render ``learners/_plan_export.html`` with the context of :func:`plan_context`; the PDF
wraps it in ``learners/plan_pdf.html`` and xhtml2pdf (pure Python, on top of ReportLab) draws
it, so the image needs no system libraries. The queries are those of ``selectors.plan_goals``
and ``selectors.swot_of``: a fixed number, however many goals the plan has.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import reportlab
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from programmes.models import Membership, Programme

from . import selectors

# Bitstream Vera ships with ReportLab. Unlike the PDF base fonts it has letters such as ş, ğ
# and ł, which participants' names often need.
_FONTS = Path(reportlab.__file__).resolve().parent / "fonts"
FONTS = {
    "regular": str(_FONTS / "Vera.ttf"),
    "bold": str(_FONTS / "VeraBd.ttf"),
    "italic": str(_FONTS / "VeraIt.ttf"),
    "bold_italic": str(_FONTS / "VeraBI.ttf"),
}


class PdfError(RuntimeError):
    """xhtml2pdf could not turn the plan into a PDF."""


def plan_context(membership: Membership, *, printed_at: datetime | None = None) -> dict[str, Any]:
    """What the print page and the PDF show: SWOT and every goal with all its details.

    ``membership`` comes from ``selectors.own_membership`` (programme and user selected).
    """
    return {
        "programme": membership.programme,
        "participant": membership.user,
        "printed_at": printed_at or timezone.now(),
        "swot": selectors.swot_of(membership),
        "goals": list(selectors.plan_goals(membership)),
    }


def render_plan_pdf(membership: Membership, *, printed_at: datetime | None = None) -> bytes:
    """The participant's learning plan as a PDF document (A4), in the active language."""
    context = {**plan_context(membership, printed_at=printed_at), "fonts": FONTS}
    html = render_to_string("learners/plan_pdf.html", context)
    # Imported here: xhtml2pdf takes seconds to import, which every new web worker would pay
    # on its first request, whatever the page.
    from xhtml2pdf import pisa

    output = io.BytesIO()
    status = pisa.CreatePDF(html, dest=output, encoding="utf-8")
    if status.err:
        raise PdfError(f"xhtml2pdf reported {status.err} error(s) for the plan of membership {membership.pk}")
    return output.getvalue()


def plan_pdf_filename(programme: Programme) -> str:
    """``leerplan-<programme title as slug>.pdf``: ASCII, safe in a Content-Disposition header.

    A long title is cut after a whole word, at 60 characters at most.
    """
    slug = slugify(programme.title)
    if len(slug) > 60:
        slug = slug[:61].rsplit("-", 1)[0][:60]
    return f"leerplan-{slug or 'leertraject'}.pdf"
