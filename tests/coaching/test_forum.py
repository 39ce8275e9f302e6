"""The community forum: threads and replies in safe Markdown, edits marked, only members and the
community's coaches inside (403 for others who see the community, 404 across municipalities),
and one daily digest per person in their own language."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django.utils.html import escape

from coaching import reminders
from coaching.forum import render_markdown
from coaching.models import Community, CommunityMember, Post, Thread
from notifications import outbox
from notifications.kinds import DAILY_PLANNERS
from notifications.models import Category, Notification
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import MembershipFactory, PreferenceFactory

DAY = date(2026, 10, 14)
PLANNER = "coaching.reminders.plan_forum_digests"


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def join(community: Community, user) -> None:
    membership = Membership.objects.unscoped().get(programme=community.programme, user=user, role="participant")
    CommunityMember.objects.create(community=community, membership=membership)


@pytest.fixture
def community(world: World) -> Community:
    """Kennis delen: Alice is a member, Bob its learning coach."""
    community = Community.objects.create(programme=world.programme, name="Kennis delen")
    community.coaches.add(world.bob)
    join(community, world.alice)
    return community


def forum_url(community: Community) -> str:
    return f"/programmes/{community.programme_id}/communities/{community.pk}/forum/"


def thread_url(thread: Thread) -> str:
    return f"{forum_url(thread.community)}{thread.pk}/"


def edit_url(post: Post) -> str:
    return f"{thread_url(post.thread)}posts/{post.pk}/edit/"


def post_in(thread: Thread, author, body: str, when: datetime | None = None) -> Post:
    when = when or timezone.now()
    post = Post.objects.create(thread=thread, author=author, body=body, created_at=when)
    Thread.objects.unscoped().filter(pk=thread.pk, last_post_at__lt=when).update(last_post_at=when)
    return post


def new_thread(
    community: Community, author, title: str = "Kenniscafé in maart", when: datetime | None = None
) -> Thread:
    when = when or timezone.now()
    thread = Thread.objects.create(community=community, title=title, author=author, created_at=when, last_post_at=when)
    post_in(thread, author, "Wie doet mee?", when)
    return thread


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_renders_lists_emphasis_and_safe_links() -> None:
    html = render_markdown("Mijn idee:\n\n- *een*\n- **twee**\n\n[VNG](https://vng.nl) of [mail](mailto:a@b.nl)")

    assert "<ul>\n<li><em>een</em></li>\n<li><strong>twee</strong></li>\n</ul>" in html
    assert '<a href="https://vng.nl" rel="nofollow noopener">VNG</a>' in html
    assert '<a href="mailto:a@b.nl" rel="nofollow noopener">mail</a>' in html


class _Elements(HTMLParser):
    """The elements, attributes and comments a browser would build from the HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.comments: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


ALLOWED = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4", "h5", "h6"}


@pytest.mark.parametrize(
    "text, forbidden_tag",
    [
        ("<script>window.__xss = 1</script>", "script"),
        ('<img src=x onerror="window.__xss=2">', "img"),
        ("<div>\n<script>alert(1)</script>\n</div>", "script"),
        ("Hallo <b onclick='x()'>vet</b>", "b"),
        ("<iframe src='https://evil.example'></iframe>", "iframe"),
        ('<a href="https://a.example" onmouseover="x()">a</a>', None),
        ("<svg><script>alert(1)</script></svg>", "svg"),
        ("<style>body{display:none}</style>", "style"),
        ("<!-- verborgen --> <form action='https://evil.example'><input></form>", "form"),
        ("![foto](https://tracker.example/pixel.png)", "img"),
        ('[klik](https://a.example "x" onclick="y")', None),
        ("[klik](javascript:alert(1))", None),
        ("[klik](JaVaScRiPt:alert(1))", None),
        ("[klik](jav&#x61;script:alert(1))", None),
        ("[klik](  javascript:alert(1))", None),
        ("<javascript:alert(1)>", None),
        ("[klik](data:text/html;base64,PHNjcmlwdD4=)", None),
        ("[klik](vbscript:msgbox(1))", None),
        ("[klik](/account/logout/)", None),
        ("[klik][1]\n\n[1]: javascript:alert(1)", None),
    ],
)
def test_markdown_lets_no_script_attribute_or_raw_html_through(text: str, forbidden_tag: str | None) -> None:
    parsed = _Elements(render_markdown(text))

    assert set(parsed.tags) <= ALLOWED, parsed.tags
    assert forbidden_tag not in parsed.tags
    assert not parsed.comments
    for tag, name, value in parsed.attributes:
        assert (tag, name) in {("a", "href"), ("a", "rel"), ("a", "title"), ("ol", "start")}, (tag, name)
        if name == "href":
            assert urlsplit(value).scheme in {"http", "https", "mailto"}, value
        if name == "rel":
            assert value == "nofollow noopener"


def test_raw_html_is_shown_as_text_not_run() -> None:
    assert (
        render_markdown("<script>window.__xss = 1</script>") == "<p>&lt;script&gt;window.__xss = 1&lt;/script&gt;</p>"
    )


def test_markdown_headings_stay_below_the_page_headings() -> None:
    html = render_markdown("# Een\n\n## Twee\n\n#### Vier\n\n> citaat\n\n`code`")

    assert "<h3>Een</h3>" in html and "<h4>Twee</h4>" in html and "<h6>Vier</h6>" in html
    assert "<h1" not in html and "<h2" not in html
    assert "<blockquote>" in html and "<code>code</code>" in html


# --- Pages ------------------------------------------------------------------------------------


def test_a_member_starts_a_thread_and_the_coach_replies(world: World, community: Community) -> None:
    alice = login_client(world.alice)
    empty = alice.get(forum_url(community)).content.decode()
    assert "Nog geen discussies." in empty

    response = alice.post(
        f"{forum_url(community)}new/",
        {"title": "Kenniscafé in maart", "body": "Mijn idee:\n\n- *elk gebied* één initiatief\n- daarna samen"},
        follow=True,
    )

    thread = Thread.objects.unscoped().get()
    assert response.redirect_chain[-1][0] == thread_url(thread)
    page = response.content.decode()
    assert "Uw discussie “Kenniscafé in maart” staat op het forum." in page
    assert "<li><em>elk gebied</em> één initiatief</li>" in page
    assert thread.author == world.alice and thread.posts.get().author == world.alice

    reply = login_client(world.bob).post(thread_url(thread), {"body": "Goed plan, ik help mee."}, follow=True)
    post = thread.posts.latest("created_at")
    assert reply.redirect_chain[-1][0] == f"{thread_url(thread)}#post-{post.pk}"
    assert "Uw reactie is geplaatst." in reply.content.decode()
    assert post.author == world.bob

    listing = alice.get(forum_url(community)).content.decode()
    assert "Kenniscafé in maart" in listing
    assert "1 reactie" in listing
    assert f"Gestart door {escape(world.alice.get_full_name())}" in listing


def test_posts_show_in_order_with_author_and_date(world: World, community: Community) -> None:
    thread = new_thread(community, world.alice, when=at(DAY, 9))
    post_in(thread, world.bob, "Tweede bericht", at(DAY, 11))

    page = login_client(world.alice).get(thread_url(thread)).content.decode()

    assert page.index("Wie doet mee?") < page.index("Tweede bericht")
    assert escape(world.bob.get_full_name()) in page
    assert "14 oktober 2026 09:00" in page  # Dutch date format (Europe/Amsterdam)
    assert 'id="id_body"' in page  # the reply form at the bottom


def test_markdown_is_safe_on_the_thread_page(world: World, community: Community) -> None:
    alice = login_client(world.alice)
    alice.post(
        f"{forum_url(community)}new/",
        {
            "title": "<script>alert('titel')</script>",
            "body": '<script>window.__xss = 1</script>\n\n<img src=x onerror="window.__xss=2">\n\n'
            "[klik](javascript:alert(1)) en [VNG](https://vng.nl)",
        },
    )
    thread = Thread.objects.unscoped().get()

    page = alice.get(thread_url(thread)).content.decode()

    assert "<script>window" not in page and "<script>alert" not in page
    assert "<img src=x" not in page
    assert '&lt;img src=x onerror="window.__xss=2"&gt;' in page  # text, not an element
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in page
    assert "javascript:" not in page
    assert '<a href="https://vng.nl" rel="nofollow noopener">VNG</a>' in page
    assert "&lt;script&gt;alert(&#x27;titel&#x27;)&lt;/script&gt;" in page  # the title is escaped too


def test_threads_are_listed_by_newest_activity(world: World, community: Community) -> None:
    older = new_thread(community, world.alice, "Oude vraag", at(DAY, 9))
    new_thread(community, world.bob, "Nieuwe vraag", at(DAY, 10))
    alice = login_client(world.alice)

    page = alice.get(forum_url(community)).content.decode()
    assert page.index("Nieuwe vraag") < page.index("Oude vraag")

    alice.post(thread_url(older), {"body": "Nog iemand?"})
    page = alice.get(forum_url(community)).content.decode()
    assert page.index("Oude vraag") < page.index("Nieuwe vraag")


@pytest.mark.parametrize(
    "data, error",
    [
        ({"title": "", "body": "Tekst"}, "Dit veld is verplicht."),
        ({"title": "   ", "body": "Tekst"}, "Dit veld is verplicht."),
        ({"title": "Vraag", "body": ""}, "Dit veld is verplicht."),
        ({"title": "x" * 201, "body": "Tekst"}, "Zorg dat deze waarde niet meer dan 200 tekens bevat"),
        ({"title": "Vraag", "body": "x" * 10001}, "Zorg dat deze waarde niet meer dan 10000 tekens bevat"),
    ],
)
def test_a_thread_without_title_or_message_is_refused(world: World, community: Community, data, error) -> None:
    response = login_client(world.alice).post(f"{forum_url(community)}new/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Corrigeer het volgende:" in page or "error-summary" in page
    assert error in page
    assert not Thread.objects.unscoped().exists()


def test_an_empty_reply_is_refused(world: World, community: Community) -> None:
    thread = new_thread(community, world.alice)

    response = login_client(world.bob).post(thread_url(thread), {"body": "  \n "})

    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    assert thread.posts.count() == 1


def test_the_author_edits_a_post_and_the_thread_shows_it(world: World, community: Community) -> None:
    thread = new_thread(community, world.alice)
    reply = post_in(thread, world.alice, "Eerste versie")
    alice = login_client(world.alice)
    assert edit_url(reply) in alice.get(thread_url(thread)).content.decode()
    form = alice.get(edit_url(reply)).content.decode()
    assert "Eerste versie" in form and 'name="title"' not in form  # a reply carries no title

    response = alice.post(edit_url(reply), {"body": "Tweede *versie*"}, follow=True)

    reply.refresh_from_db()
    assert reply.body == "Tweede *versie*" and reply.edited_at is not None
    page = response.content.decode()
    assert "Uw bericht is gewijzigd." in page
    assert "Tweede <em>versie</em>" in page
    assert "bewerkt op" in page


def test_the_opening_post_renames_the_thread_and_an_unchanged_post_is_not_marked(
    world: World, community: Community
) -> None:
    thread = new_thread(community, world.alice, "Kenisscafe")
    opening = thread.posts.get()
    alice = login_client(world.alice)

    unchanged = alice.post(edit_url(opening), {"title": "Kenisscafe", "body": "Wie doet mee?"}, follow=True)
    opening.refresh_from_db()
    assert opening.edited_at is None
    assert "Er is niets gewijzigd." in unchanged.content.decode()

    alice.post(edit_url(opening), {"title": "Kenniscafé", "body": "Wie doet mee?"})
    thread.refresh_from_db()
    opening.refresh_from_db()
    assert thread.title == "Kenniscafé" and opening.edited_at is not None


def test_only_the_author_edits_a_post(world: World, community: Community) -> None:
    thread = new_thread(community, world.alice)
    post = thread.posts.get()
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte").user
    join(community, lotte)

    for user in (world.bob, lotte):
        client = login_client(user)
        assert edit_url(post) not in client.get(thread_url(thread)).content.decode()
        assert client.get(edit_url(post)).status_code == 403, user
        assert client.post(edit_url(post), {"body": "Overschreven"}).status_code == 403, user
    post.refresh_from_db()
    assert post.body == "Wie doet mee?" and post.edited_at is None


def test_people_who_see_the_community_but_do_not_take_part_get_403(world: World, community: Community) -> None:
    thread = new_thread(community, world.alice)
    post = thread.posts.get()
    outsider = MembershipFactory(programme=world.programme, user__first_name="Lotte").user  # not a member
    other_coach = MembershipFactory(programme=world.programme, role="coach", user__first_name="Yvonne").user
    urls = [forum_url(community), f"{forum_url(community)}new/", thread_url(thread), edit_url(post)]

    for user in (outsider, other_coach, world.manager, world.hr):
        client = login_client(user)
        assert client.get(f"/programmes/{world.programme.pk}/communities/{community.pk}/").status_code == 200
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(thread_url(thread), {"body": "Ik ook"}).status_code == 403
        assert client.post(f"{forum_url(community)}new/", {"title": "t", "body": "b"}).status_code == 403
    assert Post.objects.unscoped().count() == 1 and Thread.objects.unscoped().count() == 1


def test_other_municipalities_and_people_without_a_role_get_404(world: World, community: Community) -> None:
    thread = new_thread(community, world.alice)
    post = thread.posts.get()
    urls = [forum_url(community), f"{forum_url(community)}new/", thread_url(thread), edit_url(post)]

    for user in (world.charlie, world.haarlem_hr, world.colleague):
        client = login_client(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(thread_url(thread), {"body": "Hallo"}).status_code == 404


def test_a_thread_is_only_found_in_its_own_community(world: World, community: Community) -> None:
    other = Community.objects.create(programme=world.programme, name="Functieprofiel")
    other.coaches.add(world.bob)
    thread = new_thread(other, world.bob)

    response = login_client(world.bob).get(f"{forum_url(community)}{thread.pk}/")

    assert response.status_code == 404
    alice = login_client(world.alice)
    assert alice.get(thread_url(thread)).status_code == 403  # Alice is not in Functieprofiel


def test_a_member_who_left_no_longer_reads_the_forum(world: World, community: Community) -> None:
    thread = new_thread(community, world.alice)
    CommunityMember.objects.unscoped().filter(community=community).delete()

    assert login_client(world.alice).get(thread_url(thread)).status_code == 403


def test_a_long_forum_has_pages(world: World, community: Community) -> None:
    for n in range(26):
        new_thread(community, world.bob, f"Vraag {n:02}", at(DAY, 0) + timedelta(minutes=n))
    alice = login_client(world.alice)

    first = alice.get(forum_url(community)).content.decode()
    second = alice.get(f"{forum_url(community)}?page=2").content.decode()

    assert "Vraag 25" in first and "Vraag 00" not in first and "Pagina 1 van 2" in first
    assert "Vraag 00" in second and "Vraag 01" not in second and "Nieuwere discussies" in second


def test_the_community_page_shows_the_latest_threads_to_those_who_take_part(world: World, community: Community) -> None:
    for hour, title in enumerate(["Eerste", "Tweede", "Derde", "Vierde"], start=8):
        new_thread(community, world.alice, title, at(DAY, hour))
    detail = f"/programmes/{world.programme.pk}/communities/{community.pk}/"

    page = login_client(world.alice).get(detail).content.decode()
    assert page.index("Vierde") < page.index("Derde") < page.index("Tweede")
    assert "Eerste" not in page
    assert forum_url(community) in page

    manager_page = login_client(world.manager).get(detail).content.decode()
    assert "Vierde" not in manager_page and forum_url(community) not in manager_page


def _many(community: Community, world: World, threads: int, posts: int) -> Thread:
    thread = new_thread(community, world.alice, "Lange discussie")
    authors = [world.alice, world.bob]
    Post.objects.bulk_create(
        Post(thread=thread, author=authors[n % 2], body=f"Bericht *{n}*\n\n- punt") for n in range(posts)
    )
    for n in range(threads):
        new_thread(community, authors[n % 2], f"Vraag {n}")
    return thread


def test_the_thread_list_takes_a_fixed_number_of_queries(
    world: World, community: Community, django_assert_max_num_queries: Callable
) -> None:
    alice = login_client(world.alice)
    _many(community, world, threads=2, posts=1)
    with django_assert_max_num_queries(20) as few:
        assert alice.get(forum_url(community)).status_code == 200

    _many(community, world, threads=40, posts=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = alice.get(forum_url(community))
    assert page.status_code == 200 and "Vraag 39" in page.content.decode()


def test_the_thread_page_takes_a_fixed_number_of_queries(
    world: World, community: Community, django_assert_max_num_queries: Callable
) -> None:
    alice = login_client(world.alice)
    few_posts = _many(community, world, threads=0, posts=3)
    with django_assert_max_num_queries(20) as few:
        assert alice.get(thread_url(few_posts)).status_code == 200

    many_posts = _many(community, world, threads=0, posts=40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = alice.get(thread_url(many_posts))
    assert page.status_code == 200 and "Bericht <em>39</em>" in page.content.decode()


# --- Daily digest -----------------------------------------------------------------------------


@pytest.fixture
def lotte(world: World, community: Community):
    """A member who reads her mail in English."""
    user = MembershipFactory(programme=world.programme, user__first_name="Lotte", user__language="en").user
    join(community, user)
    return user


def mails_to(user) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if message.to == [user.email]]


def digest(day: date) -> None:
    """The daily planner's run the morning after ``day``, then what the outbox sends."""
    outbox.run_planners([PLANNER], at(day + timedelta(days=1), 7))


def test_everyone_gets_one_digest_in_their_language_without_their_own_posts(
    world: World, community: Community, lotte
) -> None:
    cafe = new_thread(community, world.alice, "Kenniscafé in maart", at(DAY, 9))  # 1 post by Alice
    post_in(cafe, lotte, "Ik doe mee", at(DAY, 10))
    post_in(cafe, lotte, "Welke datum?", at(DAY, 11))
    sources = new_thread(community, world.alice, "Handige bronnen", at(DAY, 12))  # 1 post by Alice

    digest(DAY)

    assert len(mail.outbox) == 3
    (to_alice,) = mails_to(world.alice)
    assert to_alice.subject == "[Leertraject] Nieuw op het forum: 2 berichten"
    assert "Kenniscafé in maart: 2 nieuwe berichten" in to_alice.body
    assert "Handige bronnen" not in to_alice.body  # only her own post there
    assert f"http://testserver{thread_url(cafe)}" in to_alice.body
    assert "Kennis delen" in to_alice.body
    assert f'href="http://testserver{thread_url(cafe)}"' in to_alice.alternatives[0][0]

    (to_lotte,) = mails_to(lotte)
    assert to_lotte.subject == "[Leertraject] New on the forum: 2 posts"
    assert "Kenniscafé in maart: 1 new post" in to_lotte.body
    assert "Handige bronnen: 1 new post" in to_lotte.body
    assert 'lang="en"' in to_lotte.alternatives[0][0]

    (to_bob,) = mails_to(world.bob)  # the community's coach
    assert to_bob.subject == "[Leertraject] Nieuw op het forum: 4 berichten"
    assert f"http://testserver{thread_url(sources)}" in to_bob.body

    digests = Notification.objects.unscoped().filter(kind="forum_digest", occurrence=DAY.isoformat())
    assert {n.recipient_id: n.context["post_count"] for n in digests} == {
        world.alice.pk: 2,
        lotte.pk: 2,
        world.bob.pk: 4,
    }
    assert {n.status for n in digests} == {"sent"}


def test_one_mail_per_person_for_all_their_communities(world: World, community: Community) -> None:
    other = Community.objects.create(programme=world.programme, name="Functieprofiel")
    other.coaches.add(world.bob)
    kees = MembershipFactory(programme=world.programme, user__first_name="Kees").user
    join(other, kees)
    new_thread(community, world.alice, "Kenniscafé", at(DAY, 9))
    new_thread(other, kees, "Functie-eisen", at(DAY, 10))

    digest(DAY)

    (to_bob,) = mail.outbox  # Alice and Kees only wrote themselves
    assert to_bob.to == [world.bob.email]
    assert "Kennis delen" in to_bob.body and "Functieprofiel" in to_bob.body
    assert to_bob.body.index("Functieprofiel") < to_bob.body.index("Kennis delen")
    assert "Nieuw op het forum: 2 berichten" in to_bob.subject


def test_nobody_gets_a_mail_when_nothing_is_new_for_them(world: World, community: Community, lotte) -> None:
    new_thread(community, world.alice, "Gisteren", at(DAY - timedelta(days=1), 23))
    new_thread(community, world.alice, "Morgen", at(DAY + timedelta(days=1), 0))

    digest(DAY)
    assert not mail.outbox

    new_thread(community, world.bob, "Alleen van Bob", at(DAY, 8))
    digest(DAY)
    assert {m.to[0] for m in mail.outbox} == {world.alice.email, lotte.email}  # not Bob himself


def test_running_twice_sends_once(world: World, community: Community) -> None:
    new_thread(community, world.bob, "Kenniscafé", at(DAY, 9))

    digest(DAY)
    digest(DAY)
    outbox.run_planners([PLANNER], at(DAY + timedelta(days=1), 8))

    assert [m.to for m in mail.outbox] == [[world.alice.email]]
    assert Notification.objects.unscoped().filter(recipient=world.alice, kind="forum_digest").count() == 1


def test_the_planner_digests_yesterday(world: World, community: Community) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    new_thread(community, world.bob, "Kenniscafé", at(yesterday, 12))
    new_thread(community, world.bob, "Vandaag", timezone.now())

    outbox.run_planners([PLANNER], timezone.now())

    [notification] = Notification.objects.unscoped().filter(kind="forum_digest")
    assert notification.occurrence == yesterday.isoformat()
    assert "Kenniscafé" in mail.outbox[0].body and "Vandaag" not in mail.outbox[0].body


def test_a_failed_send_is_tried_again_later(world: World, community: Community) -> None:
    new_thread(community, world.bob, "Kenniscafé", at(DAY, 9))

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=smtplib.SMTPServerDisconnected):
        digest(DAY)
    notification = Notification.objects.unscoped().get(kind="forum_digest")
    assert notification.status == "pending" and notification.attempts == 1
    assert not mail.outbox

    outbox.enqueue_due(timezone.now() + timedelta(hours=1))

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == "sent"


def test_a_person_who_switched_digests_off_gets_no_mail(world: World, community: Community, lotte) -> None:
    PreferenceFactory(user=lotte, category=Category.DIGESTS, mail=False)
    new_thread(community, world.bob, "Kenniscafé", at(DAY, 9))

    digest(DAY)

    assert {m.to[0] for m in mail.outbox} == {world.alice.email}
    assert Notification.objects.unscoped().get(recipient=lotte).status == "muted"


def test_the_digest_takes_a_fixed_number_of_queries(
    world: World, community: Community, django_assert_max_num_queries: Callable
) -> None:
    next_day = DAY + timedelta(days=1)
    new_thread(community, world.bob, "Kenniscafé", at(DAY, 9))
    thread = new_thread(community, world.bob, "Kenniscafé", at(next_day, 9))
    for n in range(30):
        post_in(thread, world.bob, f"Bericht {n}", at(next_day, 10))
        new_thread(community, world.bob, f"Vraag {n}", at(next_day, 11))

    with django_assert_max_num_queries(15) as few:
        assert reminders.plan_forum_digests(at(next_day, 7)) == 1
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert reminders.plan_forum_digests(at(next_day + timedelta(days=1), 7)) == 1
    digest(next_day)
    assert "Vraag 29: 1 nieuw bericht" in mail.outbox[-1].body


def test_beat_plans_the_digest_every_morning() -> None:
    from notifications.tasks import plan_daily_task

    entry = settings.CELERY_BEAT_SCHEDULE["plan-daily-notifications"]

    assert entry["task"] == plan_daily_task.name
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert PLANNER in DAILY_PLANNERS
