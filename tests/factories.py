"""factory_boy factories for every model; one place to make test data."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialApp
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import IdentityProvider, Organisation, User
from coaching.models import (
    BestPractice,
    CoachingNote,
    CoachingSession,
    Community,
    CommunityAction,
    CommunityMember,
    CommunityProposal,
    FollowUp,
    Post,
    Thread,
)
from harvest.models import (
    Answer,
    AnswerVersion,
    Contribution,
    Initiative,
    InitiativeSignup,
    LearningStory,
    Quote,
    Recognition,
    ReportExport,
)
from intervision.models import (
    Case,
    GroupMember,
    IntervisionGroup,
    IntervisionSession,
    LearningPoint,
    Method,
    MethodStep,
    NotTogetherWish,
    StepNote,
)
from learners.models import (
    Action,
    Activity,
    AssessmentAnswer,
    AssessmentResponse,
    FeedbackAsk,
    FeedbackRequest,
    Goal,
    GoalVersion,
    Reflection,
    Swot,
)
from learners.services import snapshot
from notifications.models import Category, Notification, Preference
from privacy.models import AuditEvent
from programmes.models import (
    AssessmentItem,
    BehaviourIndicator,
    Competency,
    Event,
    Invitation,
    Membership,
    Phase,
    Programme,
    Registration,
)

TEST_PASSWORD = "correct-horse-battery"
TEST_TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente Testdorp {n}")
    slug = factory.Sequence(lambda n: f"testdorp-{n}")
    primary_colour = "#154273"


class UserFactory(DjangoModelFactory):
    """A person of an organisation with a verified email address and a known password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@testdorp.example")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class HRAdminFactory(UserFactory):
    """An HR admin who has set up an authenticator app with ``TEST_TOTP_SECRET``."""

    is_hr_admin = True

    @factory.post_generation
    def authenticator(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            TOTP.activate(self, TEST_TOTP_SECRET)


class SocialAppFactory(DjangoModelFactory):
    """An OpenID Connect app (allauth), as platform staff set one up in the admin."""

    class Meta:
        model = SocialApp

    provider = "openid_connect"
    provider_id = factory.Sequence(lambda n: f"idp-{n}")
    name = factory.Sequence(lambda n: f"Entra ID {n}")
    client_id = "leertraject"
    secret = "client-secret"
    settings = factory.LazyFunction(lambda: {"server_url": "https://login.example/v2.0"})


class IdentityProviderFactory(DjangoModelFactory):
    """An organisation's own sign-in service: its social app linked to it."""

    class Meta:
        model = IdentityProvider

    organisation = factory.SubFactory(OrganisationFactory)
    app = factory.SubFactory(SocialAppFactory)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Leertraject {n}")
    description = "Samen leren in de wijk."
    goals = "Initiatief tonen."
    starts_on = date(2026, 9, 1)
    ends_on = date(2027, 3, 1)
    status = Programme.Status.ACTIVE


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..programme.organisation"))
    role = Membership.Role.PARTICIPANT


# --- Programmes ------------------------------------------------------------------------------


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Competentie {n}")


class BehaviourIndicatorFactory(DjangoModelFactory):
    class Meta:
        model = BehaviourIndicator

    competency = factory.SubFactory(CompetencyFactory)
    text = factory.Sequence(lambda n: f"Laat gedrag {n} zien")


class PhaseFactory(DjangoModelFactory):
    class Meta:
        model = Phase

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Phase.Kind.KICK_OFF
    starts_at = factory.LazyAttribute(lambda o: _at(o.programme.starts_on))


class AssessmentItemFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentItem

    programme = factory.SubFactory(ProgrammeFactory)
    text = factory.Sequence(lambda n: f"Ik neem initiatief ({n})")
    position = factory.Sequence(lambda n: n)


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    membership = factory.SubFactory(MembershipFactory)


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Event.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 10


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..event.programme.organisation"))


# --- Learners --------------------------------------------------------------------------------


class AssessmentResponseFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentResponse

    membership = factory.SubFactory(MembershipFactory)
    moment = AssessmentResponse.Moment.START


class AssessmentAnswerFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentAnswer

    response = factory.SubFactory(AssessmentResponseFactory)
    item = factory.SubFactory(AssessmentItemFactory, programme=factory.SelfAttribute("..response.membership.programme"))
    score = 3


class SwotFactory(DjangoModelFactory):
    class Meta:
        model = Swot

    membership = factory.SubFactory(MembershipFactory)
    strengths = "Ik ken de wijk."


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    membership = factory.SubFactory(MembershipFactory)
    title = factory.Sequence(lambda n: f"Leerdoel {n}")


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    goal = factory.SubFactory(GoalFactory)
    kind = Activity.Kind.ON_THE_JOB
    description = "Elk overleg een voorstel inbrengen"


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    goal = factory.SubFactory(GoalFactory)
    description = factory.Sequence(lambda n: f"Stap {n}")


class ReflectionFactory(DjangoModelFactory):
    class Meta:
        model = Reflection

    goal = factory.SubFactory(GoalFactory)
    tried = "Zelf een voorstel doen"


class GoalVersionFactory(DjangoModelFactory):
    class Meta:
        model = GoalVersion

    goal = factory.SubFactory(GoalFactory)
    number = factory.Sequence(lambda n: n + 1)
    data = factory.LazyAttribute(lambda o: snapshot(o.goal))


class FeedbackRequestFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackRequest

    goal = factory.SubFactory(GoalFactory)
    question = "Hoe zie jij mij werken aan dit doel?"


class FeedbackAskFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackAsk

    request = factory.SubFactory(FeedbackRequestFactory)
    email = factory.Sequence(lambda n: f"collega{n}@testdorp.example")


# --- Coaching --------------------------------------------------------------------------------


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Themagroep {n}")


class CommunityMemberFactory(DjangoModelFactory):
    class Meta:
        model = CommunityMember

    community = factory.SubFactory(CommunityFactory)
    membership = factory.SubFactory(MembershipFactory, programme=factory.SelfAttribute("..community.programme"))


class CommunityProposalFactory(DjangoModelFactory):
    class Meta:
        model = CommunityProposal

    proposed_by = factory.SubFactory(MembershipFactory)
    programme = factory.SelfAttribute("proposed_by.programme")
    question = "Hoe delen wij kennis en ervaring?"


class CommunityActionFactory(DjangoModelFactory):
    class Meta:
        model = CommunityAction

    community = factory.SubFactory(CommunityFactory)
    kind = CommunityAction.Kind.KNOWLEDGE_CAFE
    title = factory.Sequence(lambda n: f"Kenniscafé {n}")


class ThreadFactory(DjangoModelFactory):
    class Meta:
        model = Thread

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"Onderwerp {n}")


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    body = "Wie heeft ervaring met een *wijkreis*?"


class BestPracticeFactory(DjangoModelFactory):
    class Meta:
        model = BestPractice

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Kenniscafé op locatie {n}")
    context = "Gebiedsnetwerkers in Feijenoord."
    what_worked = "Kort, op locatie, met één vraag."


class CoachingSessionFactory(DjangoModelFactory):
    class Meta:
        model = CoachingSession

    membership = factory.SubFactory(MembershipFactory)
    coach = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..membership.programme.organisation"))
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    location = "Stadhuis, zaal 2.14"


class CoachingNoteFactory(DjangoModelFactory):
    class Meta:
        model = CoachingNote

    session = factory.SubFactory(CoachingSessionFactory)
    text = "Vertrouwelijk: twijfelt over de nieuwe rol."


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    session = factory.SubFactory(CoachingSessionFactory)
    description = "Twee partners spreken over het speeltuinplan"


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


# --- Intervision -----------------------------------------------------------------------------


class MethodFactory(DjangoModelFactory):
    class Meta:
        model = Method

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Incidentmethode {n}")


class MethodStepFactory(DjangoModelFactory):
    class Meta:
        model = MethodStep

    method = factory.SubFactory(MethodFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = "Inbrengen van het incident"
    minutes = 5
    speaker = MethodStep.Speaker.CASE_BRINGER


class IntervisionGroupFactory(DjangoModelFactory):
    class Meta:
        model = IntervisionGroup

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Intervisiegroep {n}")


class GroupMemberFactory(DjangoModelFactory):
    class Meta:
        model = GroupMember

    group = factory.SubFactory(IntervisionGroupFactory)
    membership = factory.SubFactory(MembershipFactory, programme=factory.SelfAttribute("..group.programme"))


class NotTogetherWishFactory(DjangoModelFactory):
    class Meta:
        model = NotTogetherWish

    membership = factory.SubFactory(MembershipFactory)
    other = factory.SubFactory(MembershipFactory, programme=factory.SelfAttribute("..membership.programme"))


class IntervisionSessionFactory(DjangoModelFactory):
    class Meta:
        model = IntervisionSession

    group = factory.SubFactory(IntervisionGroupFactory)
    method = factory.SubFactory(MethodFactory, organisation=factory.SelfAttribute("..group.programme.organisation"))
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    location = "Stadhuis, zaal 2.14"


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    session = factory.SubFactory(IntervisionSessionFactory)
    title = "Een partner die afspraken niet nakomt"
    situation = "Bij het wijkoverleg bleef de corporatie weg."
    question = "Hoe spreek ik hem aan zonder de relatie te schaden?"


class StepNoteFactory(DjangoModelFactory):
    class Meta:
        model = StepNote

    session = factory.SubFactory(IntervisionSessionFactory)
    position = 1
    text = "Vooral: wat wil je bereiken?"


class LearningPointFactory(DjangoModelFactory):
    class Meta:
        model = LearningPoint

    session = factory.SubFactory(IntervisionSessionFactory)
    user = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..session.group.programme.organisation"))
    text = "Eerst vragen wat de ander nodig heeft."


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("recipient.organisation")
    kind = "reflection_prompt"
    category = Category.REFLECTION
    key = factory.Sequence(lambda n: f"programme:{n}")
    occurrence = "2026-11-27"
    context = factory.LazyAttribute(lambda o: {"programme": "Samen leren in de wijk"})


class PreferenceFactory(DjangoModelFactory):
    class Meta:
        model = Preference

    user = factory.SubFactory(UserFactory)
    category = Category.REFLECTION
    mail = False


# --- Harvest ---------------------------------------------------------------------------------


class ContributionFactory(DjangoModelFactory):
    """A participant's own contribution to the harvest (pass ``community`` for a community's)."""

    class Meta:
        model = Contribution

    programme = factory.SubFactory(ProgrammeFactory)
    author = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..programme.organisation"))
    achieved = "Een wijkreis met twaalf collega's."
    not_achieved = "Een vaste plek voor het kenniscafé."
    why_not = "Er was geen ruimte in de agenda's van de teamleiders."
    learned = "Vragen stellen werkt beter dan oplossingen aandragen."


class QuoteFactory(DjangoModelFactory):
    class Meta:
        model = Quote

    contribution = factory.SubFactory(ContributionFactory)
    author = factory.SelfAttribute("contribution.author")
    text = "Ik durf nu eerder aan te schuiven bij een bewonersavond."
    consented_at = factory.LazyFunction(timezone.now)


class InitiativeFactory(DjangoModelFactory):
    class Meta:
        model = Initiative

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Intervisiegroep {n}")
    proposed_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..programme.organisation"))


class InitiativeSignupFactory(DjangoModelFactory):
    class Meta:
        model = InitiativeSignup

    initiative = factory.SubFactory(InitiativeFactory)
    user = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..initiative.programme.organisation"))


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    programme = factory.SubFactory(ProgrammeFactory)
    manager = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..programme.organisation"))
    theme = "Ruimte in de agenda voor leren"
    decision = Answer.Decision.AGREED
    text = "Teamleiders plannen vanaf januari twee uur per week voor leren."


class AnswerVersionFactory(DjangoModelFactory):
    class Meta:
        model = AnswerVersion

    answer = factory.SubFactory(AnswerFactory)
    decision = Answer.Decision.NOT_NOW
    text = "We komen hier in het voorjaar op terug."
    written_by = factory.SelfAttribute("answer.manager")
    written_at = factory.LazyFunction(timezone.now)


class RecognitionFactory(DjangoModelFactory):
    class Meta:
        model = Recognition

    membership = factory.SubFactory(MembershipFactory)
    manager = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..membership.programme.organisation"))
    message = "Ik zag hoe u het bewonersoverleg voorzat: rustig en met ruimte voor iedereen."


class LearningStoryFactory(DjangoModelFactory):
    class Meta:
        model = LearningStory

    membership = factory.SubFactory(MembershipFactory)
    text = "In het begin wachtte ik af; nu vraag ik zelf om feedback."
    shared = True


class ReportExportFactory(DjangoModelFactory):
    """A manager's ready PDF of the harvest report (pass ``status``/``pdf`` for another state)."""

    class Meta:
        model = ReportExport

    programme = factory.SubFactory(ProgrammeFactory)
    requested_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..programme.organisation"))
    language = "nl"
    status = ReportExport.Status.READY
    pdf = b"%PDF-1.7 test"
    finished_at = factory.LazyFunction(timezone.now)


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    actor = factory.SubFactory(HRAdminFactory)
    organisation = factory.SelfAttribute("actor.organisation")
    action = AuditEvent.Action.VIEWED
    target_type = "coaching.coachingnote"
    target_id = 1
