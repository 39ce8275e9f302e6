"""One-to-one coaching sessions (seed 001: individual coaching for those who stall).

A coach plans a session with a participant, or a participant asks for one and the coach plans
it; the participant then gets a mail with an .ics invitation, and a reminder a day before
(``coaching.reminders``, through the notifications outbox). Either side can cancel with a
message to the other. After the session the coach writes a summary both see, agreed follow-up
actions that appear in the participant's plan, and confidential notes (``CoachingNote``) that
only the coach ever reads: no mail, calendar file or page for anyone else contains them.

Mails go out after the transaction commits.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from leertraject import calendar as ics
from leertraject.celery import queue_after_commit
from leertraject.mail import send_templated
from privacy import audit
from programmes.models import Membership

from .models import CoachingNote, CoachingSession, FollowUp

OPEN = (CoachingSession.Status.REQUESTED, CoachingSession.Status.PLANNED)


class SessionError(Exception):
    """A change the session's state does not allow; the message says why."""


def session_url(session: CoachingSession) -> str:
    """The session's page, as a full address for mails and calendars."""
    return settings.SITE_URL + reverse("coaching_sessions:detail", args=[session.membership.programme_id, session.pk])


def plan(session: CoachingSession, *, coach: Any) -> CoachingSession:
    """Plan a new session, a requested one, or move a planned one; the participant gets the invitation.

    A session that moves gets a fresh reminder: the reminder's occurrence is the start.
    """
    from .tasks import send_session_invitation_task

    if session.pk and session.status not in OPEN:
        raise SessionError(_("This session can no longer be changed."))
    with transaction.atomic():
        before = (
            CoachingSession.objects.unscoped().filter(pk=session.pk).values("status").first() if session.pk else None
        )
        session.coach = coach
        session.status = CoachingSession.Status.PLANNED
        session.save()
        moved = bool(before and before["status"] == CoachingSession.Status.PLANNED)
        queue_after_commit(send_session_invitation_task, session.pk, moved)
    return session


def request(membership: Membership, *, coach: Any, message: str) -> CoachingSession:
    """A participant asks ``coach`` for a session; the coach hears so by mail and plans it."""
    from .tasks import send_session_request_task

    if membership.role != Membership.Role.PARTICIPANT:
        raise SessionError(_("Only participants can ask for a coaching session."))
    with transaction.atomic():
        session = CoachingSession.objects.create(
            membership=membership, coach=coach, status=CoachingSession.Status.REQUESTED, request_message=message
        )
        queue_after_commit(send_session_request_task, session.pk)
    return session


def open_request(membership: Membership) -> CoachingSession | None:
    """The participant's request that no coach has planned yet, if any."""
    return membership.coaching_sessions.filter(status=CoachingSession.Status.REQUESTED).order_by("-created_at").first()


def cancel(session: CoachingSession, *, by: Any, message: str) -> CoachingSession:
    """Cancel a requested or planned session; the other side gets ``message`` by mail."""
    from .tasks import send_session_cancelled_task

    with transaction.atomic():
        locked = CoachingSession.objects.unscoped().select_for_update(of=("self",)).get(pk=session.pk)
        if locked.status not in OPEN:
            raise SessionError(_("This session can no longer be cancelled."))
        if locked.starts_at and locked.starts_at <= timezone.now():
            raise SessionError(_("This session has already started; it can no longer be cancelled."))
        locked.status = CoachingSession.Status.CANCELLED
        locked.save(update_fields=["status"])
        queue_after_commit(send_session_cancelled_task, locked.pk, by.pk, message)
    session.status = locked.status
    return session


def record(session: CoachingSession, *, summary: str, notes: str, follow_ups: BaseInlineFormSet) -> CoachingSession:
    """Keep the summary, the coach's confidential notes and the agreed follow-up actions.

    A planned session that has started counts as held from now on.
    """
    if session.status not in (CoachingSession.Status.PLANNED, CoachingSession.Status.HELD):
        raise SessionError(_("Only a planned or held session can be recorded."))
    with transaction.atomic():
        session.summary = summary
        if session.status == CoachingSession.Status.PLANNED and session.starts_at <= timezone.now():
            session.status = CoachingSession.Status.HELD
        session.save(update_fields=["summary", "status"])
        note = _note_of(session)
        if (note.text if note else "") != notes:
            note = note or CoachingNote(session=session)
            note.text = notes
            note.save()
            audit.record(session.coach, audit.Action.CHANGED, note)
        follow_ups.instance = session
        follow_ups.save()
    return session


def read_note(session: CoachingSession, coach: Any) -> CoachingNote | None:
    """The session's confidential notes for its coach (check ``coaching.keep_session_notes``
    first); reading them is recorded in the audit trail."""
    note = _note_of(session)
    if note is not None:
        audit.record(coach, audit.Action.VIEWED, note)
    return note


def _note_of(session: CoachingSession) -> CoachingNote | None:
    return (
        CoachingNote.objects.for_organisation(session.membership.programme.organisation_id)
        .filter(session=session)
        .first()
    )


def complete_follow_up(follow_up: FollowUp) -> FollowUp:
    """The participant marks an agreed follow-up action done (once)."""
    if follow_up.done_at is None:
        follow_up.done_at = timezone.now()
        follow_up.save(update_fields=["done_at"])
    return follow_up


# --- Calendar and mails ------------------------------------------------------------------------


def _name(user: Any) -> str:
    return (user.get_full_name() or user.email) if user else ""


def calendar_title(session: CoachingSession, for_user: Any) -> str:
    """ "Coaching session with <the other one>", in the active language."""
    other = session.coach if for_user and for_user.pk == session.membership.user_id else session.membership.user
    return _("Coaching session with %(name)s") % {"name": _name(other)}


def calendar_file(session: CoachingSession, *, for_user: Any) -> bytes:
    """The session as an iCalendar file: when, where, the agenda and its page; never the notes.
    A cancelled session's file takes the appointment out of the agenda again."""
    return ics.calendar_file(
        uid=f"coaching-session-{session.pk}",
        summary=calendar_title(session, for_user),
        starts_at=session.starts_at,
        ends_at=session.ends_at or session.starts_at + timedelta(hours=1),
        sequence=ics.current_sequence(),
        description="\n\n".join(part for part in (session.agenda, session.online_url) if part),
        location=", ".join(part for part in (session.location, session.online_url) if part),
        url=session_url(session),
        cancelled=session.status == CoachingSession.Status.CANCELLED,
    )


def has_calendar_file(session: CoachingSession) -> bool:
    """A planned session's file puts it in an agenda; a cancelled one's takes it out again (for
    whoever cancelled it too, who gets no mail about it)."""
    cancellable = (CoachingSession.Status.PLANNED, CoachingSession.Status.CANCELLED)
    return session.status in cancellable and session.starts_at is not None


def calendar_filename(session: CoachingSession) -> str:
    day = timezone.localtime(session.starts_at).date().isoformat() if session.starts_at else ""
    return f"{slugify(_('coaching session'))}-{day}.ics"


def calendar_attachment(session: CoachingSession, recipient: Any) -> tuple[str, bytes, str]:
    """The session's .ics for ``recipient``, in their own language, as a mail attachment."""
    with translation.override(recipient.language):
        return calendar_filename(session), calendar_file(session, for_user=recipient), "text/calendar"


def with_people(queryset: Any) -> Any:
    return queryset.select_related("membership__user", "membership__programme__organisation", "coach")


def _mail(recipient: Any, template: str, context: dict[str, Any], *, session: CoachingSession, ics: bool) -> None:
    """Mail ``recipient`` in their own language, with the session's .ics attached when asked."""
    context = {**context, "recipient": recipient, "session": session, "link": session_url(session)}
    attachments = [calendar_attachment(session, recipient)] if ics else []
    # A refused address counts as sent: a retry will not help.
    send_templated(
        f"coaching/email/session_{template}",
        context,
        to=recipient.email,
        language=recipient.language,
        attachments=attachments,
    )


def send_invitation(session_id: int, changed: bool = False) -> bool:
    """Mail the participant the planned (or ``changed``) session with its .ics; False when it is
    no longer planned."""
    session = (
        with_people(CoachingSession.objects.unscoped())
        .filter(pk=session_id, status=CoachingSession.Status.PLANNED, starts_at__isnull=False)
        .first()
    )
    if session is None:
        return False
    context = {"coach": session.coach, "changed": changed}
    _mail(session.membership.user, "invitation", context, session=session, ics=True)
    return True


def send_request(session_id: int) -> bool:
    """Tell the chosen coach that a participant asks for a session."""
    session = (
        with_people(CoachingSession.objects.unscoped())
        .filter(pk=session_id, status=CoachingSession.Status.REQUESTED, coach__isnull=False)
        .first()
    )
    if session is None:
        return False
    context = {"participant": session.membership.user}
    _mail(session.coach, "request", context, session=session, ics=False)
    return True


def send_cancelled(session_id: int, cancelled_by_id: int, message: str) -> bool:
    """Tell the other side that the session is cancelled, with the canceller's message; when it
    was planned, the attached .ics takes it out of their agenda."""
    session = (
        with_people(CoachingSession.objects.unscoped())
        .filter(pk=session_id, status=CoachingSession.Status.CANCELLED)
        .first()
    )
    if session is None:
        return False
    participant, coach = session.membership.user, session.coach
    by, other = (participant, coach) if cancelled_by_id == participant.pk else (coach, participant)
    if other is None:
        return False
    context = {"cancelled_by": by, "message": message}
    _mail(other, "cancelled", context, session=session, ics=session.starts_at is not None)
    return True
