"""Demo communities: Rotterdam's start day turned into three theme groups around the group's
three main questions (seed 004); each person chose one."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.demo import DemoWorld
from programmes.models import Membership, Programme

from . import communities
from .models import (
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

# name, question, coach key, member keys
ROTTERDAM_GROUPS = [
    ("Functieprofiel", "Hoe zou onze functie omschreven moeten worden?", "coach", ["p3", "p6", "p8"]),
    (
        "Logische partner",
        "Hoe zorgen we ervoor binnen de gemeente als logische partner te worden gezien?",
        "coach2",
        ["p1", "p4", "p7"],
    ),
    (
        "Kennis delen",
        "Hoe delen wij op een effectieve manier kennis en ervaring?",
        "coach",
        ["participant", "p2", "p5"],
    ),
]


def seed(world: DemoWorld) -> None:
    rotterdam = world["rotterdam"]
    networkers = Programme.objects.unscoped().get(
        organisation=rotterdam.organisation, title__startswith="Gebiedsnetwerkers: initiatief"
    )
    people = rotterdam.people
    for name, question, coach, members in ROTTERDAM_GROUPS:
        if Community.objects.unscoped().filter(programme=networkers, name=name).exists():
            continue
        proposer = Membership.objects.unscoped().get(
            programme=networkers, user=people[members[0]], role=Membership.Role.PARTICIPANT
        )
        proposal = CommunityProposal.objects.create(programme=networkers, proposed_by=proposer, question=question)
        community = communities.save_community(
            Community(
                programme=networkers,
                name=name,
                question=question,
                capacity=30,
                switch_until=networkers.starts_on + timedelta(weeks=6),
                continues_after_programme=name == "Kennis delen",
                created_by=people["coach"],
            ),
            coaches=[people[coach]],
            proposals=[proposal],
        )
        for key in members:
            membership = (
                Membership.objects.unscoped()
                .filter(programme=networkers, user=people[key], role=Membership.Role.PARTICIPANT)
                .first()
            )
            if membership and not CommunityMember.objects.unscoped().filter(membership=membership).exists():
                CommunityMember.objects.create(community=community, membership=membership)
    open_question = "Hoe houden we na het traject tijd vrij om van elkaar te leren?"
    if not CommunityProposal.objects.unscoped().filter(programme=networkers, question=open_question).exists():
        proposer = (
            Membership.objects.unscoped()
            .filter(programme=networkers, user=people["p2"], role=Membership.Role.PARTICIPANT)
            .first()
        )
        if proposer:
            CommunityProposal.objects.create(programme=networkers, proposed_by=proposer, question=open_question)
    seed_forum(world, networkers)
    seed_actions_and_best_practices(world, networkers)
    seed_coaching_sessions(world, networkers)


# community, title, posts: (author key, days ago, Markdown, edited hours later or None); one row per post.
# fmt: off
FORUM_THREADS = [
    (
        "Kennis delen",
        "Kenniscafé over bewonersinitiatieven: wie doet mee?",
        [
            ("p2", 6, "Ik wil in maart een kenniscafé organiseren over bewonersinitiatieven. Mijn idee:\n\n- elk gebied neemt **één** geslaagd initiatief mee\n- we vertellen kort wat werkte en *waarom*\n- daarna samen kijken wat we kunnen overnemen\n\nWie wil meedenken over de opzet?", None),
            ("participant", 5, "Goed idee, Lotte! Ik neem het buurtmoestuinproject uit Feijenoord mee. Zullen we het bij de bibliotheek houden? Daar is op donderdagmiddag een zaal vrij.", None),
            ("coach", 5, "Mooi initiatief. Tip: vraag ook iemand van een bewonersorganisatie om te vertellen hoe het initiatief er *van hun kant* uitzag. Dat levert vaak de beste gesprekken op.", None),
            ("p5", 4, "Ik doe mee. Ik kan de uitnodiging maken als iemand mij de datum doorgeeft.", None),
        ],
    ),
    (
        "Kennis delen",
        "Handige bronnen over werken in de wijk",
        [
            ("p5", 3, "Een paar bronnen die mij helpen:\n\n1. De kennisdossiers van [Movisie](https://www.movisie.nl) over bewonersparticipatie\n2. De handreikingen van de [VNG](https://vng.nl) over gebiedsgericht werken\n\nHebben jullie nog aanvullingen?", 2),
            ("participant", 2, "Dank je, Bram. Ik las laatst een goed stuk over *samen optrekken met bewoners* in plaats van *voor* ze werken. Ik zoek de link op en zet hem hier.", None),
        ],
    ),
    (
        "Kennis delen",
        "Hoe houden jullie aantekeningen van wijkbezoeken bij?",
        [
            ("participant", 1, "Na een wijkbezoek heb ik vaak losse briefjes en foto's. Hoe houden jullie bij wat je hoort en ziet, zodat collega's er later ook iets aan hebben?", None),
            ("p2", 0, "Ik gebruik na elk bezoek een vast lijstje:\n\n- wie heb ik gesproken\n- wat viel op\n- wat spreek ik af en met wie\n\nDat deel ik daarna in ons teamkanaal.", None),
        ],
    ),
    (
        "Functieprofiel",
        "Eerste aanzet: wat hoort zeker in ons functieprofiel?",
        [
            ("p3", 4, "Om te beginnen een lijstje van wat ik zeker terug wil zien:\n\n- **initiatief tonen**: zelf partners opzoeken\n- verantwoordelijkheid nemen voor afspraken in het gebied\n- verbinden tussen bewoners, organisaties en de gemeente\n\nWat missen jullie nog?", None),
            ("p6", 3, "Ik zou *netwerken binnen de eigen organisatie* toevoegen: we worden nog te weinig gezien als logische partner.", None),
            ("coach", 2, "Goede aanzet. Probeer per punt ook te beschrijven welk **gedrag** je dan ziet; dat maakt het profiel bruikbaar in de gesprekken met leidinggevenden.", None),
        ],
    ),
]
# fmt: on


def seed_forum(world: DemoWorld, networkers: Programme) -> None:
    """A few forum threads in Rotterdam's communities, with Markdown and one edited post."""
    people = world["rotterdam"].people
    now = timezone.now().replace(second=0, microsecond=0)
    for community_name, title, posts in FORUM_THREADS:
        community = Community.objects.unscoped().filter(programme=networkers, name=community_name).first()
        if community is None or community.threads.filter(title=title).exists():
            continue
        first_key, first_days = posts[0][0], posts[0][1]
        started = now - timedelta(days=first_days, hours=3)
        thread = Thread.objects.create(community=community, title=title, author=people[first_key], created_at=started)
        for position, (key, days, body, edited_after) in enumerate(posts):
            created = now - timedelta(days=days, hours=3 - min(position, 2))
            edited = created + timedelta(hours=edited_after) if edited_after else None
            Post.objects.create(thread=thread, author=people[key], body=body, created_at=created, edited_at=edited)
            thread.last_post_at = created
        thread.save(update_fields=["last_post_at"])


# --- Actions and best practices (issue 5) -----------------------------------------------------

# community, title, kind, owner key, days from today (None: no date), status, joiner keys,
# description, outcome, why. After seed 004: some actions worked, some did not, and why.
# fmt: off
ROTTERDAM_ACTIONS = [
    ("Kennis delen", "Kenniscafé over bewonersinitiatieven", "knowledge_cafe", "p2", 12, "planned", ["participant", "p5"],
     "Elk gebied neemt één geslaagd bewonersinitiatief mee en vertelt in vijf minuten wat werkte en waarom. "
     "Donderdagmiddag in de bibliotheek van Feijenoord.", "", ""),
    ("Kennis delen", "Academie van de straat: een middag met de wijkconciërge", "street_academy", "p5", -14, "done",
     ["p2", "participant"],
     "Een middag meelopen met de wijkconciërge van Hillesluis: hoe spreekt hij bewoners aan?",
     "achieved",
     "Op locatie en met één vraag: de wijkconciërge liet ons zien hoe hij bewoners aanspreekt. "
     "Iedereen nam een concreet voorbeeld mee naar het eigen gebied."),
    ("Kennis delen", "Intervisie met de incidentmethode", "intervision", "participant", -7, "cancelled", [],
     "Drie bijeenkomsten intervisie in gemengde groepjes, volgens de incidentmethode.",
     "not_achieved",
     "Niemand kon naast het werk in het gebied een vast moment vrijmaken, dus de bijeenkomsten zijn niet ingepland. "
     "Bij de oogstsessie schrijven we ons in voor de intervisiegroepen van het traject."),
    ("Functieprofiel", "Contact HR over het functieprofiel", "other", "p3", -10, "done", ["p6"],
     "De schrijvers van het functieprofiel bij HR onze input geven: wat doet een gebiedsnetwerker echt?",
     "not_achieved",
     "Geen reactie van HR ontvangen, ook niet na een herinnering. Volgende stap: onze leidinggevende vragen "
     "om een afspraak met de makers van het functieprofiel."),
    ("Functieprofiel", "Rondvraag: wat hoort in ons functieprofiel?", "other", "p6", -20, "done", ["p8"],
     "In de teamoverleggen ophalen wat collega's zeker terug willen zien in het functieprofiel.",
     "partly",
     "De helft van de collega's reageerde: genoeg voor een eerste lijst, maar Noord en Zuid ontbreken nog "
     "omdat hun teamoverleg in de zomer niet doorging."),
    ("Logische partner", "Wijkreis: bij elkaar in de buurt kijken", "area_visit", "p1", 20, "planned", ["p4", "p7"],
     "Een ochtend in Delfshaven en een middag in Charlois: wie zijn daar de partners, en hoe zien zij ons?", "", ""),
    ("Logische partner", "Een dag meelopen met de gebiedsmanager", "job_shadowing", "p7", None, "idea", [],
     "Zien hoe de gebiedsmanager de gemeente vertegenwoordigt in overleggen met partners.", "", ""),
]

# community, author key, days ago, title, context, what worked, tags
ROTTERDAM_BEST_PRACTICES = [
    ("Kennis delen", "p2", 3, "Kenniscafé: kort, op locatie, met één vraag",
     "Gebiedsnetwerkers uit drie gebieden en iemand van een bewonersorganisatie, op een donderdagmiddag in de "
     "bibliotheek van Feijenoord; ongeveer vijftien mensen.",
     "Eén vraag vooraf, die iedereen in de uitnodiging leest. Niet langer dan anderhalf uur. In de wijk, niet op "
     "het stadhuis. Elk gebied vertelt in vijf minuten over één voorbeeld: wat werkte en waarom. Daarna in "
     "kleine groepen: wat neem ik mee naar mijn eigen gebied?",
     "kenniscafé, kennis delen, bewoners"),
    ("Kennis delen", "p5", 10, "Academie van de straat: leren van wie het werk al doet",
     "Een middag meelopen met de wijkconciërge van Hillesluis, met drie gebiedsnetwerkers.",
     "Kies iemand die dagelijks met bewoners praat en vraag of je mag meelopen, niet of hij iets wil vertellen. "
     "Spreek vooraf één vraag af (hier: hoe spreek je bewoners aan?) en bespreek na afloop ieder één voorbeeld.",
     "academie van de straat, leren op de werkplek, bewoners"),
    ("Logische partner", "p4", 6, "Afspraken met partners binnen een dag vastleggen",
     "Het gebiedsoverleg in Delfshaven met de woningcorporatie, de welzijnsorganisatie en de wijkagent.",
     "Stuur binnen een dag na elk overleg een kort overzicht: wie doet wat, voor wanneer. Partners merken dat "
     "wij de draad vasthouden en benaderen ons sindsdien eerder als logische partner.",
     "samenwerking, partners, afspraken"),
]
# fmt: on


def seed_actions_and_best_practices(world: DemoWorld, networkers: Programme) -> None:
    """Rotterdam's theme groups' own actions with their outcomes and why, and what they harvested."""
    people = world["rotterdam"].people
    today = timezone.localdate()
    groups = {community.name: community for community in Community.objects.unscoped().filter(programme=networkers)}
    for name, title, kind, owner, days, status, joiners, description, outcome, why in ROTTERDAM_ACTIONS:
        community = groups.get(name)
        if community is None or community.actions.filter(title=title).exists():
            continue
        action = CommunityAction.objects.create(
            community=community,
            kind=kind,
            title=title,
            description=description,
            owner=people[owner],
            due_on=today + timedelta(days=days) if days is not None else None,
            status=status,
            outcome=outcome,
            outcome_reason=why,
        )
        action.joiners.set([people[key] for key in joiners])
    organisation = world["rotterdam"].organisation
    now = timezone.now().replace(second=0, microsecond=0)
    for name, author, days, title, context, what_worked, tags in ROTTERDAM_BEST_PRACTICES:
        if BestPractice.objects.for_organisation(organisation).filter(title=title).exists():
            continue
        BestPractice.objects.create(
            organisation=organisation,
            community=groups.get(name),
            title=title,
            context=context,
            what_worked=what_worked,
            tags=tags,
            created_by=people[author],
            created_at=now - timedelta(days=days),
        )


# --- Coaching sessions (issue 5) -----------------------------------------------------------------


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_coaching_sessions(world: DemoWorld, networkers: Programme) -> None:
    """Joost Bakker coaches Fatima (a held session with a summary, confidential notes and two
    follow-ups, and one next week); Bram asks for a session; Naomi has stalled (seed 001)."""
    people = world["rotterdam"].people
    coach = people["coach"]

    def participation(key: str) -> Membership | None:
        return (
            Membership.objects.unscoped()
            .filter(programme=networkers, user=people[key], role=Membership.Role.PARTICIPANT)
            .first()
        )

    # Naomi signed in once, weeks ago, and wrote no plan: the dashboard shows her as stalled.
    naomi, naomi_role = people["p8"], participation("p8")
    if naomi.last_login is None:
        naomi.last_login = timezone.now() - timedelta(days=24)
        naomi.save(update_fields=["last_login"])
    start = _at(networkers.starts_on, 9)
    if naomi_role and naomi_role.created_at > start:
        naomi_role.created_at = start  # enrolled when the programme began
        naomi_role.save(update_fields=["created_at"])

    fatima = participation("participant")
    today = timezone.localdate()
    if fatima and not CoachingSession.objects.unscoped().filter(membership=fatima, status="held").exists():
        held = CoachingSession.objects.create(
            membership=fatima,
            coach=coach,
            status=CoachingSession.Status.HELD,
            starts_at=_at(today - timedelta(days=9), 10),
            ends_at=_at(today - timedelta(days=9), 11),
            location="Wijkcentrum De Larenkamp, spreekkamer 2",
            agenda="Hoe zet je zelf iets in gang zonder op een opdracht te wachten?",
            summary="We bespraken het wijkoverleg van vorige week. Fatima merkt dat ze wacht tot iemand anders begint. "
            "Afgesproken: ze bereidt voor het volgende overleg één eigen voorstel voor en vraagt vooraf één partner "
            "om haar te steunen.",
        )
        CoachingNote.objects.create(
            session=held,
            text="Vertrouwelijk: Fatima twijfelt of de rol van gebiedsnetwerker bij haar past; drukte in het team "
            "speelt mee. Volgende keer voorzichtig naar vragen, niet zelf aandragen.",
        )
        FollowUp.objects.create(
            session=held,
            description="Eén eigen voorstel voorbereiden voor het wijkoverleg",
            due_on=today + timedelta(days=4),
        )
        FollowUp.objects.create(
            session=held,
            description="Vooraf één partner vragen om het voorstel te steunen",
            due_on=today + timedelta(days=2),
        )
    if fatima and not CoachingSession.objects.unscoped().filter(membership=fatima, status="planned").exists():
        next_week = today + timedelta(days=7)
        CoachingSession.objects.create(
            membership=fatima,
            coach=coach,
            status=CoachingSession.Status.PLANNED,
            starts_at=_at(next_week, 14),
            ends_at=_at(next_week, 15),
            online_url="https://teams.example/rotterdam/coachgesprek-fatima",
            agenda="Hoe ging het voorstel in het wijkoverleg? Wat neem je mee naar het volgende?",
        )
    bram = participation("p5")
    if bram and not CoachingSession.objects.unscoped().filter(membership=bram).exists():
        CoachingSession.objects.create(
            membership=bram,
            coach=coach,
            status=CoachingSession.Status.REQUESTED,
            request_message="Ik krijg mijn leerplan niet op papier: ik weet niet goed waar ik moet beginnen. "
            "Kunnen we een keer samen kijken?",
            created_at=timezone.now() - timedelta(days=1),
        )
