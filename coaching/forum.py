"""The forum of a learning community: threads, replies, edits, safe Markdown and the daily digest.

Posts are written in Markdown and shown as HTML that ``render_markdown`` makes safe in two
steps: Python-Markdown runs without its raw-HTML support (so ``<script>`` typed in a post is
shown as text), and nh3 then keeps only a short list of tags and attributes (links only to
http, https and mailto, marked ``rel="nofollow noopener"``).

Once a day every member and coach of a community with new posts by others the day before
gets one mail that lists those threads, in their own language: ``digests_for`` finds them and
``coaching.reminders.plan_forum_digests`` records them in the notifications outbox, under a key
that lets each person have one digest per day at most.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.etree.ElementTree import Element

import markdown
import nh3
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .models import Community, CommunityMember, Post, Thread

# --- Markdown ---------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
    "h3",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"
# Page headings go down to h2; a post's "# Heading" becomes h3, "##" h4, and so on up to h6.
HEADING_OFFSET = 2

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
)


class _ShiftHeadings(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(int(element.tag[1]) + HEADING_OFFSET, 6)}"


class _ForumMarkdown(Extension):
    """No raw HTML (typed tags stay visible text) and headings below the page's own."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ShiftHeadings(md), "forum_shift_headings", 1)


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One converter per thread: a ``Markdown`` instance keeps state while it converts."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown.Markdown(
            extensions=[_ForumMarkdown(), "sane_lists", "nl2br", "fenced_code"], output_format="html"
        )
        _local.converter = converter
    return converter


def render_markdown(text: str) -> SafeString:
    """A post's Markdown as HTML that is safe to show: the only place posts become HTML."""
    converter = _markdown()
    try:
        html = converter.convert(text or "")
    finally:
        converter.reset()
    return mark_safe(_cleaner.clean(html))  # noqa: S308 (nh3 has just sanitised it)


# --- Threads and posts ------------------------------------------------------------------


def thread_url(thread: Thread, *, community: Community | None = None) -> str:
    """The path of a thread's page."""
    community = community or thread.community
    return reverse("coaching:forum_thread", args=[community.programme_id, community.pk, thread.pk])


@transaction.atomic
def start_thread(community: Community, author: Any, *, title: str, body: str) -> Thread:
    """Open a thread with its first post."""
    now = timezone.now()
    thread = Thread.objects.create(community=community, title=title, author=author, created_at=now, last_post_at=now)
    Post.objects.create(thread=thread, author=author, body=body, created_at=now)
    return thread


@transaction.atomic
def reply(thread: Thread, author: Any, *, body: str) -> Post:
    """Add a post to the thread; the thread moves to the top of the forum."""
    post = Post.objects.create(thread=thread, author=author, body=body)
    Thread.objects.unscoped().filter(pk=thread.pk).update(last_post_at=post.created_at)
    thread.last_post_at = post.created_at
    return post


def edit_post(post: Post, *, body: str, title: str | None = None) -> bool:
    """Change a post's text and mark it edited; ``title`` renames its thread (for the opening post).

    False, and nothing marked, when neither the text nor the title changed.
    """
    thread = post.thread
    renamed = title is not None and title != thread.title
    if body == post.body and not renamed:
        return False
    with transaction.atomic():
        post.body = body
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "edited_at"])
        if renamed:
            thread.title = title
            thread.save(update_fields=["title"])
    return True


def with_html(posts: Iterable[Post]) -> list[Post]:
    """The posts, each with its safe HTML as ``html``."""
    posts = list(posts)
    for post in posts:
        post.html = render_markdown(post.body)
    return posts


# --- The daily digest -------------------------------------------------------------------


@dataclass
class DigestThread:
    title: str
    count: int
    link: str


@dataclass
class DigestCommunity:
    community: Community
    threads: list[DigestThread] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(thread.count for thread in self.threads)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start of ``day`` and of the next one, in the site's time zone."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def digests_for(day: date) -> dict[int, list[DigestCommunity]]:
    """Per person (user id): the communities and threads with posts of others on ``day``.

    A fixed number of queries, however many posts, communities and people there are.
    """
    start, end = _day_bounds(day)
    counts = (
        Post.objects.unscoped()
        .filter(created_at__gte=start, created_at__lt=end)
        .values("thread_id", "author_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    per_thread: dict[int, dict[int | None, int]] = defaultdict(dict)
    for row in counts:
        per_thread[row["thread_id"]][row["author_id"]] = row["count"]
    if not per_thread:
        return {}
    threads = (
        Thread.objects.unscoped()
        .filter(pk__in=per_thread)
        .select_related("community__programme")
        .order_by("community_id", "-last_post_at", "pk")
    )
    communities: dict[int, Community] = {}
    threads_of: dict[int, list[Thread]] = defaultdict(list)
    for thread in threads:
        communities.setdefault(thread.community_id, thread.community)
        threads_of[thread.community_id].append(thread)
    people: dict[int, set[int]] = defaultdict(set)
    members = CommunityMember.objects.unscoped().filter(community_id__in=communities)
    for community_id, user_id in members.values_list("community_id", "membership__user_id"):
        people[community_id].add(user_id)
    coaches = Community.coaches.through.objects.filter(community_id__in=communities)
    for community_id, user_id in coaches.values_list("community_id", "user_id"):
        people[community_id].add(user_id)

    digests: dict[int, list[DigestCommunity]] = defaultdict(list)
    for community_id in sorted(communities, key=lambda pk: communities[pk].name):
        community = communities[community_id]
        for user_id in people[community_id]:
            entry = DigestCommunity(community)
            for thread in threads_of[community_id]:
                count = sum(n for author_id, n in per_thread[thread.pk].items() if author_id != user_id)
                if count:
                    link = settings.SITE_URL + thread_url(thread, community=community)
                    entry.threads.append(DigestThread(thread.title, count, link))
            if entry.threads:
                digests[user_id].append(entry)
    return dict(digests)
