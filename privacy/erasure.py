"""Erasing a person's personal data (AVG art. 17), on request by HR or by the retention task.

The account row stays, anonymised, so that everything the person contributed to others keeps
pointing at one "former participant" who can no longer be identified. Per model:

- Account: name "Oud-deelnemer", email an unusable placeholder on the reserved ``.invalid``
  domain, no function or department, password unusable, inactive, no HR or staff rights.
  allauth's email addresses and authenticators (two-factor), linked social accounts and the
  person's sessions are deleted.
- Deleted, because it is the person's private learning: goals with their versions, activities,
  actions, reflections and feedback requests (and the answers to them), SWOT, the free-text
  answers of self-assessments, coaching sessions about them (with the coach's confidential
  note and follow-ups), the intervision cases they brought in, step notes and learning points
  they wrote, their "not together with" wishes, the recognitions and the learning story they
  received or wrote for themselves, quotes they did not consent to share, their notifications
  and preferences.
- Kept, because they serve others or an aggregate: the programme roles (``Membership``,
  community and intervision group membership, event registrations, initiative sign-ups), so
  participation counts stay right; assessment responses and scores without the free text, so
  growth averages stay the same; posts, threads, community actions and proposals, best
  practices, harvest contributions, initiatives, answers and recognitions they gave as a
  manager, intervision sessions they took a role in, all attributed to the anonymised account.
  Quotes they consented to share stay, never with their name.
- Feedback they gave to colleagues stays in the colleague's plan, with the giver's name and
  email replaced. Other people's notifications and the admin site's history that mention the
  person's name or email get it replaced as well.

Goal outcome counts and "with a plan" counts of the harvest report drop the erased person's
goals: those are private learning data and go. An ``AuditEvent`` (erased) records who erased
whom, by ids only. Everything happens in one transaction.
"""

from __future__ import annotations

import json
import re
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from coaching.models import CoachingSession
from harvest.models import LearningStory, Quote, Recognition
from intervision.models import Case, LearningPoint, NotTogetherWish, StepNote
from learners.models import AssessmentAnswer, FeedbackAsk, Goal, Swot
from notifications.models import Notification, Preference
from programmes.models import Membership

from . import audit
from .models import AuditEvent

FORMER_PARTICIPANT = "Oud-deelnemer"
PLACEHOLDER_DOMAIN = "erased.invalid"


def placeholder_email(user: User) -> str:
    """An address that can never receive mail or be signed up with, unique per account."""
    return f"oud-deelnemer-{user.pk}@{PLACEHOLDER_DOMAIN}"


def is_erased(user: User) -> bool:
    return user.email.endswith(f"@{PLACEHOLDER_DOMAIN}")


def _identifying(user: User) -> list[str]:
    """The strings that identify the person, longest first (full name before its parts)."""
    values = {user.get_full_name(), user.email, user.first_name, user.last_name}
    return sorted((value for value in values if value), key=len, reverse=True)


def _scrub(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_scrub(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern, replacement) for key, item in value.items()}
    return value


def _pattern(user: User) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(value) for value in _identifying(user)), re.IGNORECASE)


def _scrub_admin_log(user: User) -> None:
    """The admin site's history names what was changed ("Membership of ..."): keep the history, not the name."""
    pattern = _pattern(user)
    mentions = Q()
    for value in _identifying(user):
        mentions |= Q(object_repr__icontains=value)
    changed = []
    for entry in LogEntry.objects.filter(mentions):
        entry.object_repr = pattern.sub(FORMER_PARTICIPANT, entry.object_repr)
        changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["object_repr"])


def _scrub_notifications_of_others(user: User, organisation: int) -> None:
    strings = _identifying(user)
    pattern = _pattern(user)
    mentions = Q()
    for value in strings:
        # As stored: plain on PostgreSQL, with non-ASCII characters escaped on SQLite.
        mentions |= Q(context__icontains=value) | Q(context__icontains=json.dumps(value)[1:-1])
    changed = []
    for notification in Notification.objects.for_organisation(organisation).exclude(recipient=user).filter(mentions):
        notification.context = _scrub(notification.context, pattern, FORMER_PARTICIPANT)
        changed.append(notification)
    Notification.objects.bulk_update(changed, ["context"])


def _remove_sessions(user: User) -> None:
    ids = [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(session_key__in=ids).delete()


def _remove_sign_in(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user=user).delete()
    _remove_sessions(user)


def _erase_learning(user: User, organisation: int) -> None:
    memberships = Membership.objects.for_organisation(organisation).filter(user=user)
    Goal.objects.for_organisation(organisation).filter(membership__in=memberships).delete()
    Swot.objects.for_organisation(organisation).filter(membership__in=memberships).delete()
    AssessmentAnswer.objects.for_organisation(organisation).filter(response__membership__in=memberships).update(text="")
    CoachingSession.objects.for_organisation(organisation).filter(membership__in=memberships).delete()
    NotTogetherWish.objects.for_organisation(organisation).filter(membership__in=memberships).delete()
    Case.objects.for_organisation(organisation).filter(submitted_by=user).delete()
    StepNote.objects.for_organisation(organisation).filter(author=user).delete()
    LearningPoint.objects.for_organisation(organisation).filter(user=user).delete()
    Recognition.objects.for_organisation(organisation).filter(membership__in=memberships).delete()
    LearningStory.objects.for_organisation(organisation).filter(membership__in=memberships).delete()
    quotes = Quote.objects.for_organisation(organisation).filter(author=user)
    quotes.filter(Q(consented_at__isnull=True) | Q(withdrawn_at__isnull=False)).delete()
    quotes.update(named=False)
    FeedbackAsk.objects.for_organisation(organisation).filter(Q(user=user) | Q(email__iexact=user.email)).update(
        email=placeholder_email(user), name=FORMER_PARTICIPANT
    )
    Notification.objects.for_organisation(organisation).filter(recipient=user).delete()
    Preference.objects.for_organisation(organisation).filter(user=user).delete()


def _anonymise_account(user: User) -> None:
    user.first_name = FORMER_PARTICIPANT
    user.last_name = ""
    user.email = placeholder_email(user)
    user.job_title = ""
    user.department = ""
    user.is_active = False
    user.is_hr_admin = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


@transaction.atomic
def erase(user: User, by: User | None) -> None:
    """Erase ``user``'s personal data (see the module docstring); ``by`` is the HR admin, or None
    for the retention task."""
    organisation = user.organisation_id
    if organisation is not None:
        _scrub_notifications_of_others(user, organisation)
        _erase_learning(user, organisation)
    _scrub_admin_log(user)
    _remove_sign_in(user)
    _anonymise_account(user)
    if organisation is not None:
        audit.record(by, AuditEvent.Action.ERASED, user)
