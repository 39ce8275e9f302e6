"""The community forum: thread list, new thread, thread page with replies, editing one's own post.

The forum is the community's safe space: the community is fetched with ``coaching.take_part``,
so people who may see the community but do not take part get 403, everyone else 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leertraject.access import get_object_for_user

from . import forum, selectors
from .forum_forms import PostEditForm, ReplyForm, ThreadForm
from .models import Community, Post, Thread

THREADS_PER_PAGE = 25


def _community(request: HttpRequest, pk: int, community_pk: int, *, perm: str = "coaching.take_part") -> Community:
    queryset = (
        Community.objects.filter(programme_id=pk).select_related("programme__organisation").prefetch_related("coaches")
    )
    return get_object_for_user(request.user, queryset, perm=perm, pk=community_pk)


def _thread(request: HttpRequest, community: Community, thread_pk: int, *, perm: str | None = None) -> Thread:
    queryset = (
        Thread.objects.filter(community=community).select_related("community").prefetch_related("community__coaches")
    )
    thread = get_object_for_user(request.user, queryset, perm=perm, pk=thread_pk)
    thread.community = community
    return thread


def _context(community: Community, user: Any, **extra: object) -> dict[str, object]:
    can_contribute = user.has_perm("coaching.contribute", community)
    return {"programme": community.programme, "community": community, "can_contribute": can_contribute, **extra}


@login_required
def thread_list(request: HttpRequest, pk: int, community_pk: int) -> HttpResponse:
    community = _community(request, pk, community_pk)
    page = Paginator(selectors.forum_threads(community), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/forum/thread_list.html",
        _context(community, request.user, page=page, threads=page.object_list),
    )


@login_required
def thread_create(request: HttpRequest, pk: int, community_pk: int) -> HttpResponse:
    community = _community(request, pk, community_pk, perm="coaching.contribute")
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thread = forum.start_thread(community, request.user, **form.cleaned_data)
        messages.success(request, _("Your thread “%(title)s” is on the forum.") % {"title": thread.title})
        return redirect(forum.thread_url(thread, community=community))
    return render(request, "coaching/forum/thread_form.html", _context(community, request.user, form=form))


@login_required
def thread_detail(request: HttpRequest, pk: int, community_pk: int, thread_pk: int) -> HttpResponse:
    community = _community(request, pk, community_pk)
    replying = request.method == "POST"
    thread = _thread(request, community, thread_pk, perm="coaching.add_post" if replying else None)
    form = ReplyForm(request.POST or None)
    if replying and form.is_valid():
        post = forum.reply(thread, request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Your reply has been posted."))
        return redirect(f"{forum.thread_url(thread, community=community)}#post-{post.pk}")
    posts = forum.with_html(selectors.thread_posts(thread))
    for post in posts:
        post.can_edit = request.user.has_perm("coaching.change_post", post)
    return render(
        request,
        "coaching/forum/thread_detail.html",
        _context(community, request.user, thread=thread, posts=posts, form=form),
    )


@login_required
def post_edit(request: HttpRequest, pk: int, community_pk: int, thread_pk: int, post_pk: int) -> HttpResponse:
    community = _community(request, pk, community_pk)
    thread = _thread(request, community, thread_pk)
    queryset = Post.objects.filter(thread=thread).select_related("thread__community")
    post: Post = get_object_for_user(
        request.user, queryset.prefetch_related("thread__community__coaches"), perm="coaching.change_post", pk=post_pk
    )
    post.thread = thread
    opening = selectors.opening_post_id(thread) == post.pk
    initial = {"title": thread.title, "body": post.body}
    form = PostEditForm(request.POST or None, initial=initial, with_title=opening)
    if request.method == "POST" and form.is_valid():
        if forum.edit_post(post, body=form.cleaned_data["body"], title=form.cleaned_data.get("title")):
            messages.success(request, _("Your post has been changed."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect(f"{forum.thread_url(thread, community=community)}#post-{post.pk}")
    return render(
        request,
        "coaching/forum/post_form.html",
        _context(community, request.user, thread=thread, post=post, form=form, opening=opening),
    )
