"""Who may take part in the harvest, read its report and answer it (registered with django-rules).

The harvest hub and the room's initiative list are for everyone in the programme; the report
for its managers, HR and coaches; answers and recognition come from managers. A participant's
contribution and story are theirs to change; a community's contribution is its members' and
coaches'.
"""

from __future__ import annotations

from typing import Any

import rules

from coaching.rules import community_programme_draft, is_community_coach, is_community_member
from programmes.rules import is_coach, is_draft, is_hr_admin_of_programme, is_manager, is_participant, of_programme

in_programme = is_hr_admin_of_programme | is_coach | ((is_participant | is_manager) & ~is_draft)
reads_report = (is_hr_admin_of_programme | is_coach | is_manager) & ~is_draft

rules.add_perm("harvest.view_harvest", in_programme)
rules.add_perm("harvest.contribute", is_participant & ~is_draft)
rules.add_perm("harvest.propose_initiative", in_programme)
rules.add_perm("harvest.view_report", reads_report)
rules.add_perm("harvest.answer", is_manager & ~is_draft)
rules.add_perm("harvest.give_recognition", is_manager & ~is_draft)
# A community's contribution (asked of the community): its members and coaches, once the
# programme is no draft.
rules.add_perm(
    "harvest.contribute_for_community",
    (is_community_member | is_community_coach) & ~community_programme_draft,
)


@rules.predicate
def is_contribution_author(user: Any, contribution: Any) -> bool:
    return contribution is not None and contribution.author_id == user.pk


@rules.predicate
def takes_part_in_contribution_community(user: Any, contribution: Any) -> bool:
    community = contribution.community if contribution is not None else None
    return community is not None and (is_community_member(user, community) or is_community_coach(user, community))


# A contribution reaches the report's readers without its author's name; in the programme
# only its author (or its community) reads it as written.
rules.add_perm(
    "harvest.view_contribution",
    is_contribution_author | takes_part_in_contribution_community | of_programme(reads_report, "contribution"),
)
rules.add_perm("harvest.change_contribution", is_contribution_author | takes_part_in_contribution_community)


@rules.predicate
def is_quote_author(user: Any, quote: Any) -> bool:
    return quote is not None and quote.author_id == user.pk


rules.add_perm("harvest.view_quote", is_quote_author)
rules.add_perm("harvest.change_quote", is_quote_author)

rules.add_perm("harvest.view_initiative", of_programme(in_programme, "initiative"))
rules.add_perm("harvest.sign_up_initiative", of_programme(in_programme, "initiative"))
rules.add_perm("harvest.view_answer", of_programme(in_programme, "answer"))
rules.add_perm("harvest.change_answer", of_programme(is_manager, "answer"))


@rules.predicate
def is_recognised(user: Any, recognition: Any) -> bool:
    return recognition is not None and recognition.membership.user_id == user.pk


@rules.predicate
def gave_recognition(user: Any, recognition: Any) -> bool:
    return recognition is not None and recognition.manager_id == user.pk


rules.add_perm("harvest.view_recognition", is_recognised | gave_recognition)


@rules.predicate
def requested_export(user: Any, export: Any) -> bool:
    return export is not None and export.requested_by_id == user.pk


# A report's PDF is its requester's, and only while they may still read the report.
rules.add_perm("harvest.view_reportexport", requested_export & of_programme(reads_report, "report_export"))


@rules.predicate
def is_story_owner(user: Any, story: Any) -> bool:
    return story is not None and story.membership.user_id == user.pk


@rules.predicate
def is_shared_story(user: Any, story: Any) -> bool:
    return story is not None and story.shared and in_programme.test(user, story.membership.programme)


rules.add_perm("harvest.view_learningstory", is_story_owner | is_shared_story)
rules.add_perm("harvest.change_learningstory", is_story_owner)
