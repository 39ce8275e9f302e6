"""Collegial feedback: a participant asks colleagues a question about a goal.

Everyone asked gets a mail with a signed link that needs no account; their answer lands in
the plan. Who has not answered after ``REMIND_AFTER`` gets one reminder (a daily Celery beat
task). Sending locks the row, so a task that runs twice still sends each mail once. A mail that
could not go out (the mail server refused it for longer than the task's retries, or the task was
lost) is offered again every hour (``send_unsent``) until it goes, or until its link expires.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from leertraject.celery import queue_after_commit
from leertraject.mail import send_templated

from .models import FEEDBACK_SALT, FeedbackAsk, FeedbackRequest, Goal

LINK_VALID_FOR = timedelta(days=60)
REMIND_AFTER = timedelta(days=5)
# An ask not sent this long after it was made is offered to the workers again: longer than the
# send task's own retries with backoff take (about 35 minutes).
SEND_AGAIN_AFTER = timedelta(hours=1)


def ask(goal: Goal, *, question: str, colleagues: list[Any], emails: list[str]) -> FeedbackRequest:
    """Create the request and queue one mail per person asked (after the transaction commits)."""
    from .tasks import send_feedback_ask_task

    with transaction.atomic():
        request = FeedbackRequest.objects.create(goal=goal, question=question)
        people = {colleague.email.lower(): colleague for colleague in colleagues}
        for email in emails:
            people.setdefault(email.lower(), None)
        asks = FeedbackAsk.objects.bulk_create(
            FeedbackAsk(
                request=request,
                user=colleague,
                email=colleague.email if colleague else email,
                name=colleague.get_full_name() if colleague else "",
            )
            for email, colleague in people.items()
        )
        for feedback_ask in asks:
            queue_after_commit(send_feedback_ask_task, feedback_ask.pk)
    return request


def link_for(feedback_ask: FeedbackAsk) -> str:
    return settings.SITE_URL + feedback_ask.get_answer_url()


def find(token: str) -> FeedbackAsk | None:
    """The ask behind a signed link, or None when the link is forged, altered or too old."""
    try:
        pk = signing.TimestampSigner(salt=FEEDBACK_SALT).unsign(token, max_age=LINK_VALID_FOR)
    except signing.BadSignature:
        return None
    return (
        FeedbackAsk.objects.unscoped()
        .select_related("request__goal__membership__user", "request__goal__membership__programme__organisation")
        .filter(pk=pk)
        .first()
    )


@transaction.atomic
def answer(feedback_ask: FeedbackAsk, *, text: str, name: str) -> bool:
    """Keep the answer; False when this person has answered already (the first answer stays)."""
    locked = FeedbackAsk.objects.unscoped().select_for_update().get(pk=feedback_ask.pk)
    if locked.answered_at:
        return False
    locked.answer = text
    locked.name = name or locked.name
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answer", "name", "answered_at"])
    return True


def send(feedback_ask_id: int, *, reminder: bool = False) -> bool:
    """Mail the request (or the one reminder); False when it is sent already or answered.

    The row stays locked while the mail goes out and is marked sent in the same
    transaction: a failed send leaves it unsent for the task's retry.
    """
    stamp = "reminded_at" if reminder else "sent_at"
    with transaction.atomic():
        feedback_ask = (
            FeedbackAsk.objects.unscoped()
            .select_for_update(of=("self",))
            .select_related("user", "request__goal__membership__user", "request__goal__membership__programme")
            .filter(pk=feedback_ask_id, answered_at__isnull=True, **{f"{stamp}__isnull": True})
            .first()
        )
        if feedback_ask is None:
            return False
        _mail(feedback_ask, reminder=reminder)
        setattr(feedback_ask, stamp, timezone.now())
        feedback_ask.save(update_fields=[stamp])
    return True


def _mail(feedback_ask: FeedbackAsk, *, reminder: bool) -> None:
    asker = feedback_ask.request.goal.membership.user
    context = {
        "ask": feedback_ask,
        "asker": asker,
        "request": feedback_ask.request,
        "goal": feedback_ask.request.goal,
        "organisation": feedback_ask.request.goal.membership.programme.organisation,
        "link": link_for(feedback_ask),
        "reminder": reminder,
    }
    language = feedback_ask.user.language if feedback_ask.user else asker.language
    # A refused address counts as sent: retrying will not help, and the owner sees "no answer".
    send_templated(
        "learners/email/feedback", context, to=feedback_ask.email, language=language, html=True, reply_to=asker.email
    )


def _unanswered(**when: Any) -> list[int]:
    """The unanswered asks that match ``when``."""
    return list(FeedbackAsk.objects.unscoped().filter(answered_at__isnull=True, **when).values_list("pk", flat=True))


def _queue(pks: list[int], *, reminder: bool) -> int:
    from .tasks import send_feedback_ask_task

    for pk in pks:
        send_feedback_ask_task.delay(pk, reminder=reminder)
    return len(pks)


def unanswered_to_remind(now: datetime | None = None) -> list[int]:
    """Asks sent at least ``REMIND_AFTER`` ago, still unanswered and not reminded yet."""
    now = now or timezone.now()
    return _unanswered(reminded_at__isnull=True, sent_at__lte=now - REMIND_AFTER, sent_at__gte=now - LINK_VALID_FOR)


def remind_unanswered(now: datetime | None = None) -> int:
    """Queue one reminder for each ask that waits too long; returns how many were queued."""
    return _queue(unanswered_to_remind(now), reminder=True)


def unsent(now: datetime | None = None) -> list[int]:
    """Asks made at least ``SEND_AGAIN_AFTER`` ago that were never mailed and are still
    unanswered, made within ``LINK_VALID_FOR``: later, a first mail would come out of the blue."""
    now = now or timezone.now()
    since = now - LINK_VALID_FOR
    return _unanswered(
        sent_at__isnull=True, request__created_at__lte=now - SEND_AGAIN_AFTER, request__created_at__gte=since
    )


def send_unsent(now: datetime | None = None) -> int:
    """Queue the mail of each ask that was never sent; returns how many were queued. Sending
    locks the row and checks it is still unsent, so an ask whose own task is still retrying is
    mailed once."""
    return _queue(unsent(now), reminder=False)
