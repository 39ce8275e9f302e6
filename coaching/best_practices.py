"""Best practices: harvested knowledge made durable (seed 002), searchable across the organisation.

Search runs on PostgreSQL's full-text search with the Dutch configuration: words are stemmed
("samenwerking" finds "samenwerken"), common words are ignored, matches in the title and tags
weigh more than in the context and what worked, and the query understands the web-search syntax
(``"exacte woorden"``, ``-zonder``, ``of``). Elsewhere (SQLite, in development and tests) the
fallback finds the practices that contain every word of the query in one of those fields (and
none of the words written ``-so``), without stemming, newest first. ``search`` is the one place
that knows which database runs.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from .models import BestPractice, Community

SEARCH_CONFIG = "dutch"
SEARCHED_FIELDS = ("title", "context", "what_worked", "tags")
# Title and tags say what a practice is about; context and what worked tell the story.
WEIGHTS = {"title": "A", "context": "B", "what_worked": "B", "tags": "A"}


def uses_full_text_search() -> bool:
    """PostgreSQL's Dutch full-text search, or the simple fallback on other databases."""
    return connection.vendor == "postgresql"


def search(practices: QuerySet[BestPractice], query: str) -> QuerySet[BestPractice]:
    """The practices that match ``query``, best match first; all of them when the query is empty."""
    query = query.strip()
    if not query:
        return practices
    if uses_full_text_search():
        vector = SearchVector(SEARCHED_FIELDS[0], weight=WEIGHTS[SEARCHED_FIELDS[0]], config=SEARCH_CONFIG)
        for name in SEARCHED_FIELDS[1:]:
            vector += SearchVector(name, weight=WEIGHTS[name], config=SEARCH_CONFIG)
        search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        return (
            practices.annotate(search=vector, rank=SearchRank(vector, search_query))
            .filter(search=search_query)
            .order_by("-rank", "-created_at", "pk")
        )
    for word in re.split(r"[\s\"]+", query):
        if word.startswith("-") and len(word) > 1:
            practices = practices.exclude(_contains(word[1:]))
        elif word and word != "-":
            practices = practices.filter(_contains(word))
    return practices


def _contains(word: str) -> Q:
    condition = Q()
    for name in SEARCHED_FIELDS:
        condition |= Q(**{f"{name}__icontains": word})
    return condition


def with_tag(practices: QuerySet[BestPractice], tag: str) -> QuerySet[BestPractice]:
    """The practices that carry ``tag`` (whole tag, any case)."""
    tag = tag.strip()
    if not tag:
        return practices
    return practices.filter(tags__iregex=rf"(^|,)\s*{re.escape(tag)}\s*(,|$)")


def normalise_tags(text: str) -> str:
    """Tags as one tidy comma-separated line: trimmed, without empty or repeated ones."""
    seen: dict[str, str] = {}
    for tag in text.split(","):
        tag = " ".join(tag.split())
        if tag:
            seen.setdefault(tag.lower(), tag)
    return ", ".join(seen.values())


def suggested_community(
    user: Any, communities: QuerySet[Community], requested: str, *, only_one: bool
) -> Community | None:
    """The community a new practice is shared from: the one asked for (from a community's page)
    if the user may share from it; otherwise, with ``only_one``, the user's one community."""
    if requested.isdigit():
        chosen = communities.filter(pk=requested).first()
        if chosen and user.has_perm("coaching.share_bestpractice", chosen):
            return chosen
    if only_one:
        candidates = list(communities[:2])
        if len(candidates) == 1:
            return candidates[0]
    return None


def save_best_practice(practice: BestPractice, *, by: Any) -> BestPractice:
    """Store a new or edited practice; a new one belongs to the author's organisation."""
    if practice.pk is None:
        practice.organisation_id = by.organisation_id
        practice.created_by = by
    practice.save()
    return practice
