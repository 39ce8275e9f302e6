"""The kick-out: each participant writes the story of their own learning process and decides
whether it is shown at the closing session."""

from __future__ import annotations

from programmes.models import Membership

from .models import LearningStory


def story_save(membership: Membership, *, text: str, shared: bool) -> LearningStory:
    """Write (or rewrite) the participant's story; ``shared`` shows it in the closing view."""
    story = (
        LearningStory.objects.for_organisation(membership.programme.organisation_id)
        .filter(membership=membership)
        .first()
    ) or LearningStory(membership=membership)
    story.text = text.strip()
    story.shared = shared
    story.save()
    return story
