"""Erasure on request (AVG art. 17): nothing identifies the person afterwards, aggregates stay."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from coaching.models import CoachingSession, Post, Thread
from harvest.models import Contribution, Quote
from learners.models import AssessmentResponse, FeedbackAsk, Goal, Reflection
from learners.selectors import group_growth
from notifications.models import Notification
from privacy.erasure import FORMER_PARTICIPANT, erase
from privacy.models import AuditEvent
from programmes.models import Membership

from ..conftest import World
from ..factories import (
    ActionFactory,
    ActivityFactory,
    AnswerFactory,
    AssessmentAnswerFactory,
    AssessmentItemFactory,
    AssessmentResponseFactory,
    CaseFactory,
    CoachingNoteFactory,
    CoachingSessionFactory,
    CommunityActionFactory,
    CommunityFactory,
    CommunityMemberFactory,
    CommunityProposalFactory,
    CompetencyFactory,
    ContributionFactory,
    EventFactory,
    FeedbackAskFactory,
    FeedbackRequestFactory,
    FollowUpFactory,
    GoalFactory,
    GoalVersionFactory,
    GroupMemberFactory,
    InitiativeFactory,
    InitiativeSignupFactory,
    IntervisionGroupFactory,
    IntervisionSessionFactory,
    LearningPointFactory,
    LearningStoryFactory,
    MembershipFactory,
    NotificationFactory,
    NotTogetherWishFactory,
    PostFactory,
    PreferenceFactory,
    QuoteFactory,
    RecognitionFactory,
    ReflectionFactory,
    RegistrationFactory,
    StepNoteFactory,
    SwotFactory,
    ThreadFactory,
)

FIRST, LAST, EMAIL = "Zebedeüs", "Quaxelaar", "zebedeus.quaxelaar@rotterdam.example"
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@dataclass
class Person:
    user: User
    membership: Membership
    post: Post
    thread: Thread
    contribution: Contribution
    shared_quote: Quote


def _assessment(membership: Membership, moment: str, items: list, scores: list[int], text: str = "") -> None:
    response = AssessmentResponseFactory(membership=membership, moment=moment, submitted_at=timezone.now())
    for item, score in zip(items, scores, strict=True):
        AssessmentAnswerFactory(response=response, item=item, score=score, text=text)


def person_with_data(world: World) -> Person:
    """Zebedeüs Quaxelaar, participant of Rotterdam's programme, with data in every app; some of
    the texts he wrote mention his own name, as people do."""
    programme = world.programme
    membership = MembershipFactory(
        programme=programme,
        user__first_name=FIRST,
        user__last_name=LAST,
        user__email=EMAIL,
        user__job_title="Gebiedsnetwerker Quaxelaar-wijk",
        user__department="Wijkteam",
    )
    user = membership.user
    competency = CompetencyFactory(organisation=world.rotterdam)
    programme.competencies.add(competency)
    items = [AssessmentItemFactory(programme=programme, competency=competency) for _ in range(2)]
    _assessment(membership, AssessmentResponse.Moment.START, items, [2, 3], text=f"Ik, {FIRST}, twijfel nog.")
    _assessment(membership, AssessmentResponse.Moment.END, items, [4, 5])
    alice = Membership.objects.for_organisation(world.rotterdam).get(user=world.alice, programme=programme)
    _assessment(alice, AssessmentResponse.Moment.START, items, [1, 1])
    _assessment(alice, AssessmentResponse.Moment.END, items, [2, 3])

    goal = GoalFactory(membership=membership, title=f"Doel van {FIRST} {LAST}", why="Omdat ik het wil.")
    ActivityFactory(goal=goal)
    ActionFactory(goal=goal, done_note=f"Gedaan door {LAST}")
    reflection = ReflectionFactory(goal=goal, learned=f"{FIRST} leerde luisteren.")
    GoalVersionFactory(goal=goal)
    request = FeedbackRequestFactory(goal=goal)
    FeedbackAskFactory(request=request, email="collega.x@rotterdam.example", name="Collega X", answer="Goed bezig")
    SwotFactory(membership=membership, weaknesses=f"{FIRST} is ongeduldig.")
    # Feedback he gave to Alice, by link to his email address.
    alice_goal = GoalFactory(membership=alice, title="Alice wil beter adviseren")
    FeedbackAskFactory(
        request=FeedbackRequestFactory(goal=alice_goal),
        email=EMAIL.upper(),
        name=f"{FIRST} {LAST}",
        answer="Alice vat goed samen.",
        answered_at=timezone.now(),
    )

    community = CommunityFactory(programme=programme)
    CommunityMemberFactory(community=community, membership=membership)
    CommunityProposalFactory(proposed_by=membership, question="Hoe betrekken we bewoners?")
    action = CommunityActionFactory(community=community, owner=user, description="Een wijkreis.")
    action.joiners.add(user, world.alice)
    thread = ThreadFactory(community=community, author=user)
    post = PostFactory(thread=thread, author=user, body="Wie gaat er mee op wijkreis?")
    RegistrationFactory(event=EventFactory(programme=programme), user=user, status="registered")

    session = CoachingSessionFactory(membership=membership, coach=world.bob, agenda=f"Gesprek met {FIRST}")
    CoachingNoteFactory(session=session, text=f"{FIRST} twijfelt over de nieuwe rol.")
    FollowUpFactory(session=session)

    group = IntervisionGroupFactory(programme=programme)
    GroupMemberFactory(group=group, membership=membership)
    NotTogetherWishFactory(membership=membership, other=alice)
    intervision = IntervisionSessionFactory(group=group, case_bringer=user)
    CaseFactory(session=intervision, submitted_by=user, situation=f"{FIRST} kwam in conflict.")
    StepNoteFactory(session=intervision, author=user, text=f"Vraag aan {FIRST}")
    LearningPointFactory(session=intervision, user=user, text="Eerst luisteren.", reflection=reflection)

    contribution = ContributionFactory(programme=programme, author=user)
    shared_quote = QuoteFactory(contribution=contribution, named=True)
    QuoteFactory(contribution=contribution, consented_at=None, text=f"Zei {FIRST}")
    QuoteFactory(contribution=contribution, withdrawn_at=timezone.now())
    initiative = InitiativeFactory(programme=programme, proposed_by=user)
    InitiativeSignupFactory(initiative=initiative, user=user)
    InitiativeSignupFactory(initiative=initiative, user=world.alice)
    RecognitionFactory(membership=membership, manager=world.manager, goal=goal, message=f"Knap gedaan, {FIRST}!")
    LearningStoryFactory(membership=membership, text=f"Ik, {FIRST} {LAST}, groeide.")
    AnswerFactory(programme=programme, manager=world.manager)

    NotificationFactory(recipient=user, context={"programme": programme.title, "name": FIRST})
    PreferenceFactory(user=user)
    # Bob's digest names him, as coaches' digests name their participants.
    NotificationFactory(
        recipient=world.bob,
        kind="coach_digest",
        context={"programme": programme.title, "people": [{"name": f"{FIRST} {LAST}", "email": EMAIL}]},
    )
    LogEntry.objects.create(
        user=world.hr,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message="[]",
    )
    return Person(user, membership, post, thread, contribution, shared_quote)


def _text_columns() -> list[tuple[type[models.Model], list[str]]]:
    result = []
    for config in apps.get_app_configs():
        for model in config.get_models():
            fields = [field.attname for field in model._meta.concrete_fields if isinstance(field, TEXT_FIELDS)]
            if fields:
                result.append((model, fields))
    return result


def traces_of(*needles: str) -> list[str]:
    """Every text value, in every table of every installed app (ours, allauth's, Django's), that
    contains a needle."""
    needles_lower = [needle.lower() for needle in needles]
    found = []
    for model, fields in _text_columns():
        for row in model._base_manager.values_list("pk", *fields):
            for field, value in zip(fields, row[1:], strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                if any(needle in (text or "").lower() for needle in needles_lower):
                    found.append(f"{model._meta.label}.{field} #{row[0]}: {text[:80]}")
    return found


def _aggregates(world: World) -> dict[str, object]:
    participants = world.programme.memberships.filter(role=Membership.Role.PARTICIPANT)
    growth = group_growth(world.programme.competencies.all(), participants)
    return {
        "enrolled": participants.count(),
        "growth": [(row.competency.pk, row.people, row.start, row.end) for row in growth],
        "community_members": sum(community.members.count() for community in world.programme.communities.all()),
        "initiative_signups": sum(initiative.signups.count() for initiative in world.programme.initiatives.all()),
    }


def test_the_scan_finds_the_person_before_erasure(world: World) -> None:
    person_with_data(world)
    traces = traces_of(FIRST, LAST, EMAIL)
    assert any(trace.startswith("accounts.User.") for trace in traces)
    assert any(trace.startswith("notifications.Notification.") for trace in traces)
    assert any(trace.startswith("learners.FeedbackAsk.") for trace in traces)
    assert any(trace.startswith("admin.LogEntry.") for trace in traces)
    assert any(trace.startswith("account.EmailAddress.") for trace in traces)


def test_after_erasure_no_table_holds_the_name_or_email(world: World) -> None:
    person = person_with_data(world)

    erase(person.user, by=world.hr)

    assert traces_of(FIRST, LAST, EMAIL) == []


def test_the_account_is_anonymised_and_can_no_longer_sign_in(world: World, as_user) -> None:
    person = person_with_data(world)
    client = as_user(person.user)

    erase(person.user, by=world.hr)

    user = User.objects.get(pk=person.user.pk)
    assert user.get_full_name() == FORMER_PARTICIPANT
    assert user.email.endswith(".invalid")
    assert not user.is_active
    assert not user.has_usable_password()
    assert (user.job_title, user.department) == ("", "")
    assert not EmailAddress.objects.filter(user=user).exists()
    assert client.get("/programmes/").status_code == 302


def test_private_learning_data_is_deleted(world: World) -> None:
    person = person_with_data(world)

    erase(person.user, by=world.hr)

    org = world.rotterdam
    assert not Goal.objects.for_organisation(org).filter(membership=person.membership).exists()
    assert not Reflection.objects.for_organisation(org).filter(goal__membership=person.membership).exists()
    assert not CoachingSession.objects.for_organisation(org).filter(membership=person.membership).exists()
    assert not Notification.objects.for_organisation(org).filter(recipient=person.user).exists()
    answers = AssessmentResponse.objects.for_organisation(org).filter(membership=person.membership)
    assert answers.count() == 2
    assert {answer.text for response in answers for answer in response.answers.all()} == {""}


def test_contributions_stay_as_a_former_participant(world: World) -> None:
    person = person_with_data(world)

    erase(person.user, by=world.hr)

    org = world.rotterdam
    post = Post.objects.for_organisation(org).get(pk=person.post.pk)
    assert post.body == "Wie gaat er mee op wijkreis?"
    assert str(post.author) == FORMER_PARTICIPANT
    assert Thread.objects.for_organisation(org).filter(pk=person.thread.pk).exists()
    assert Contribution.objects.for_organisation(org).filter(pk=person.contribution.pk).exists()
    quotes = Quote.objects.for_organisation(org).filter(author=person.user)
    assert [(quote.pk, quote.named) for quote in quotes] == [(person.shared_quote.pk, False)]
    given = FeedbackAsk.objects.for_organisation(org).get(answer="Alice vat goed samen.")
    assert given.name == FORMER_PARTICIPANT


def test_aggregates_are_the_same_before_and_after(world: World) -> None:
    person = person_with_data(world)
    before = _aggregates(world)

    erase(person.user, by=world.hr)

    assert _aggregates(world) == before
    assert before["growth"][0][1] == 2


def test_other_peoples_data_is_untouched(world: World) -> None:
    person = person_with_data(world)
    alice_goal = GoalFactory(membership=world.alice.memberships.get(), why="Alice groeit")
    charlie_goal = GoalFactory(membership=world.charlie.memberships.get())
    bob_note = NotificationFactory(recipient=world.bob, context={"programme": "Gebiedsnetwerkers"})

    erase(person.user, by=world.hr)

    assert Goal.objects.for_organisation(world.rotterdam).get(pk=alice_goal.pk).why == "Alice groeit"
    assert Goal.objects.for_organisation(world.haarlem).filter(pk=charlie_goal.pk).exists()
    assert Notification.objects.for_organisation(world.rotterdam).get(pk=bob_note.pk).context == bob_note.context
    assert User.objects.get(pk=world.alice.pk).first_name == "Alice"
    assert Authenticator.objects.filter(user=world.hr).exists()


def test_the_erasure_is_audited_by_ids_only(world: World) -> None:
    person = person_with_data(world)

    erase(person.user, by=world.hr)

    event = AuditEvent.objects.for_organisation(world.rotterdam).get(action=AuditEvent.Action.ERASED)
    assert (event.actor, event.target_type, event.target_id) == (world.hr, "accounts.user", person.user.pk)
    assert FIRST not in event.summary and EMAIL not in event.summary


# --- The HR page ------------------------------------------------------------------------------


def test_hr_erases_a_person_after_typing_the_email(world: World, as_user) -> None:
    person = person_with_data(world)
    client = as_user(world.hr)

    page = client.get("/privacy/people/")
    assert escape(f"{FIRST} {LAST}") in page.content.decode()

    wrong = client.post(f"/privacy/people/{person.user.pk}/erase/", {"email": "iemand@rotterdam.example"})
    assert wrong.status_code == 200
    assert User.objects.get(pk=person.user.pk).first_name == FIRST

    done = client.post(f"/privacy/people/{person.user.pk}/erase/", {"email": EMAIL.upper()}, follow=True)
    assert done.redirect_chain[-1][0] == "/privacy/people/"
    assert User.objects.get(pk=person.user.pk).first_name == FORMER_PARTICIPANT


@pytest.mark.parametrize("who", ["alice", "manager", "bob", "colleague"])
def test_only_hr_may_erase(world: World, as_user, who: str) -> None:
    client = as_user(getattr(world, who))

    assert client.get("/privacy/people/").status_code == 403
    assert (
        client.post(f"/privacy/people/{world.colleague.pk}/erase/", {"email": world.colleague.email}).status_code == 403
    )
    assert User.objects.get(pk=world.colleague.pk).is_active


def test_hr_cannot_reach_another_organisations_person_or_erase_themselves(world: World, as_user) -> None:
    client = as_user(world.hr)

    assert client.get(f"/privacy/people/{world.charlie.pk}/erase/").status_code == 404
    assert client.post(f"/privacy/people/{world.charlie.pk}/erase/", {"email": world.charlie.email}).status_code == 404
    assert client.get(f"/privacy/people/{world.hr.pk}/erase/").status_code == 403
    assert User.objects.get(pk=world.charlie.pk).is_active
    assert escape(world.charlie.get_full_name()) not in client.get("/privacy/people/").content.decode()
