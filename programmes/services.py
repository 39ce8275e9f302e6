"""Changes to programmes: archiving and copying a programme as the start of the next one."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .models import AssessmentItem, Phase, Programme


def archive_programme(programme: Programme) -> Programme:
    """Take a programme out of the everyday lists; nothing is deleted."""
    programme.archived_at = timezone.now()
    programme.save(update_fields=["archived_at"])
    return programme


def restore_programme(programme: Programme) -> Programme:
    programme.archived_at = None
    programme.save(update_fields=["archived_at"])
    return programme


def _shift(moment: datetime, days: timedelta) -> datetime:
    """The same wall-clock time ``days`` later: a 9:00 start day stays at 9:00 across a DST change."""
    local = timezone.localtime(moment)
    return timezone.make_aware(local.replace(tzinfo=None) + days, local.tzinfo)


@transaction.atomic
def copy_programme(programme: Programme, *, title: str, starts_on: date) -> Programme:
    """A new draft with the same goals, competencies, phases and assessment, moved to ``starts_on``.

    People are not copied: a new programme enrols its own group.
    """
    shift = starts_on - programme.starts_on
    copy = Programme.objects.create(
        organisation=programme.organisation,
        title=title,
        description=programme.description,
        goals=programme.goals,
        starts_on=starts_on,
        ends_on=programme.ends_on + shift,
        status=Programme.Status.DRAFT,
    )
    copy.competencies.set(programme.competencies.all())
    Phase.objects.bulk_create(
        Phase(
            programme=copy,
            kind=phase.kind,
            title=phase.title,
            starts_at=_shift(phase.starts_at, shift),
            ends_at=_shift(phase.ends_at, shift) if phase.ends_at else None,
            location=phase.location,
            online_url=phase.online_url,
            description=phase.description,
        )
        for phase in programme.phases.all()
    )
    AssessmentItem.objects.bulk_create(
        AssessmentItem(
            programme=copy,
            kind=item.kind,
            text=item.text,
            competency_id=item.competency_id,
            indicator_id=item.indicator_id,
            position=item.position,
        )
        for item in programme.assessment_items.all()
    )
    return copy
