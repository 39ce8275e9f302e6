"""The forum in the browser: a member starts a thread with Markdown and a script, the script
shows as text and never runs; the coach replies; the author edits and the edit is marked;
every forum page accessible."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from coaching.models import Community, CommunityMember, Post, Thread
from programmes.models import Membership
from tests.conftest import World

from .conftest import assert_accessible
from .test_learning_plan import required

SCRIPT = "<script>window.__xss = 1</script>"
IMAGE = '<img src=x onerror="window.__xss=2">'


def test_a_script_in_a_forum_post_does_not_run(live_server: Any, login: Any, page: Page, world: World) -> None:
    community = Community.objects.create(programme=world.programme, name="Kennis delen")
    community.coaches.add(world.bob)
    membership = Membership.objects.unscoped().get(programme=world.programme, user=world.alice, role="participant")
    CommunityMember.objects.create(community=community, membership=membership)
    detail = f"{live_server.url}/programmes/{world.programme.pk}/communities/{community.pk}/"

    login(world.alice)
    page.goto(detail)
    page.get_by_role("link", name="Naar het forum").click()
    expect(page.get_by_role("heading", name="Forum van “Kennis delen”", level=1)).to_be_visible()
    expect(page.get_by_text("Nog geen discussies.", exact=False)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nieuwe discussie").click()
    page.get_by_role("button", name="Discussie plaatsen").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
    required(page, "Titel").fill("Kenniscafé in maart")
    required(page, "Bericht").fill(f"Mijn idee:\n\n- *elk gebied* één initiatief\n- [VNG](https://vng.nl)\n\n{SCRIPT}")
    page.get_by_role("button", name="Discussie plaatsen").click()
    expect(page.locator(".alert-success")).to_contain_text("Uw discussie “Kenniscafé in maart” staat op het forum.")

    # The script is visible as text, rendered Markdown around it; nothing ran.
    post = page.locator(".forum-post-body").first
    expect(post).to_contain_text(SCRIPT)
    expect(post.locator("em")).to_have_text("elk gebied")
    expect(post.get_by_role("link", name="VNG")).to_have_attribute("rel", "nofollow noopener")
    assert post.locator("script").count() == 0
    assert page.evaluate("window.__xss") is None
    assert_accessible(page)

    # A reply with an image whose onerror would run: shown as text, no element, nothing ran.
    required(page, "Uw reactie").fill(f"Ik doe mee! {IMAGE}")
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.locator(".alert-success")).to_contain_text("Uw reactie is geplaatst.")
    reply = page.locator(".forum-post-body").nth(1)
    expect(reply).to_contain_text(IMAGE)
    assert page.locator(".forum-posts img, [onerror]").count() == 0
    assert page.evaluate("window.__xss") is None
    assert_accessible(page)

    # The coach replies; he cannot edit Alice's posts.
    page.context.clear_cookies()
    login(world.bob)
    thread = Thread.objects.unscoped().get()
    thread_page = f"{detail}forum/{thread.pk}/"
    page.goto(thread_page)
    assert page.evaluate("window.__xss") is None
    expect(page.get_by_role("link", name="Bewerken", exact=False)).to_have_count(0)
    required(page, "Uw reactie").fill("Goed plan. Vraag ook een **bewonersorganisatie**.")
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.locator(".forum-post-body").nth(2).locator("strong")).to_have_text("bewonersorganisatie")

    # Alice edits her reply; the thread marks it.
    page.context.clear_cookies()
    login(world.alice)
    page.goto(f"{detail}forum/")
    expect(page.get_by_text("2 reacties", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Kenniscafé in maart").click()
    alice_reply = Post.objects.unscoped().filter(author=world.alice).order_by("created_at", "pk").last()
    page.locator(f"#post-{alice_reply.pk}").get_by_role("link", name="Bewerken", exact=False).click()
    expect(page.get_by_role("heading", name="Uw bericht bewerken", level=1)).to_be_visible()
    assert_accessible(page)
    required(page, "Bericht").fill("Ik doe mee! Ik neem het buurtmoestuinproject mee.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("Uw bericht is gewijzigd.")
    expect(page.locator(f"#post-{alice_reply.pk}")).to_contain_text("bewerkt op")
    expect(page.locator(f"#post-{alice_reply.pk}")).to_contain_text("buurtmoestuinproject")
    assert page.evaluate("window.__xss") is None
    assert_accessible(page)

    # The community page shows the thread in its forum section.
    page.goto(detail)
    expect(page.get_by_role("region", name="Forum").get_by_role("link", name="Kenniscafé in maart")).to_be_visible()
    assert_accessible(page)
