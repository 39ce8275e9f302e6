"""Forms of the actions board (an action, its outcome, the board's filters) and of best practices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.forms import DateInput, PersonChoiceField

from . import actions, best_practices
from .models import BestPractice, Community, CommunityAction

Status = CommunityAction.Status


class ActionForm(forms.ModelForm):
    """A new or edited action. Closing it happens by recording its outcome (``OutcomeForm``)."""

    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        help_text=_("Who pulls it: any member or learning coach of the community."),
    )

    class Meta:
        model = CommunityAction
        fields = ["kind", "title", "description", "owner", "due_on", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}
        help_texts = {
            "title": _("For example: “Kenniscafé over bewoners betrekken”."),
            "description": _("What do you want to achieve, and how? Who else is welcome?"),
            "due_on": _("The day it takes place, or the day it should be done."),
            "status": _("An idea still looks for people and a date; it is planned once it has a date."),
        }

    def __init__(self, *args: Any, community: Community, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.community = community
        owners = Q(pk__in=people.values("pk"))
        if self.instance.owner_id:
            owners |= Q(pk=self.instance.owner_id)
        self.fields["owner"].queryset = User.objects.filter(owners).order_by("first_name", "last_name", "pk")
        # Done is reached by recording the outcome; an action that is done may be reopened here.
        keep = {Status.IDEA, Status.PLANNED, Status.CANCELLED, self.instance.status}
        self.fields["status"].choices = [(value, label) for value, label in Status.choices if value in keep]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("status") == Status.PLANNED and not cleaned.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", _("A planned action needs a date. Without one, keep it as an idea."))
        return cleaned


class OutcomeForm(forms.ModelForm):
    """What came of an action, and why."""

    class Meta:
        model = CommunityAction
        fields = ["outcome", "outcome_reason"]
        widgets = {"outcome": forms.RadioSelect, "outcome_reason": forms.Textarea(attrs={"rows": 4})}
        labels = {"outcome": _("What came of it?"), "outcome_reason": _("Why?")}
        help_texts = {
            "outcome_reason": _(
                "Required when the action was partly or not achieved, and welcome when it was: what helped, "
                "what got in the way? The harvest session learns from it."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True
        self.fields["outcome"].choices = CommunityAction.Outcome.choices
        self.fields["outcome"].error_messages["required"] = _("Choose what came of the action.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        reason = (cleaned.get("outcome_reason") or "").strip()
        if actions.reason_required(cleaned.get("outcome", "")) and not reason:
            self.add_error(
                "outcome_reason", _("Tell us why: the harvest session learns most from what did not work out.")
            )
        return cleaned


class ActionFilterForm(forms.Form):
    """The board's filters, read from the query string."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *CommunityAction.Kind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    mine = forms.BooleanField(
        label=_("Only actions I pull or join"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class CommunityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Community) -> str:
        return f"{obj.name} ({obj.programme.title})"


class BestPracticeForm(forms.ModelForm):
    """A best practice; its community is one the author takes part in (optional for HR)."""

    community = CommunityChoice(
        label=_("Learning community"),
        queryset=Community.objects.none(),
        required=False,
        help_text=_("The community it came from."),
    )

    class Meta:
        model = BestPractice
        fields = ["title", "community", "context", "what_worked", "tags"]
        widgets = {"context": forms.Textarea(attrs={"rows": 4}), "what_worked": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "title": _("For example: “Kenniscafé: kort, op locatie, met één vraag”."),
            "what_worked": _("What did you do, what made it work, and what would you tell a colleague to try?"),
        }

    def __init__(self, *args: Any, communities: QuerySet[Community], community_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        choices = Q(pk__in=communities.values("pk"))
        if self.instance.community_id:
            choices |= Q(pk=self.instance.community_id)
        field.queryset = communities.model.objects.for_organisation(self.instance.organisation_id).filter(choices)
        field.queryset = field.queryset.select_related("programme").order_by("programme__title", "name")
        field.required = community_required
        field.empty_label = _("Choose a community") if community_required else _("No community")

    def clean_tags(self) -> str:
        tags = best_practices.normalise_tags(self.cleaned_data["tags"])
        limit = BestPractice._meta.get_field("tags").max_length
        if len(tags) > limit:
            raise forms.ValidationError(
                _("Use fewer or shorter tags: %(limit)d characters at most."), params={"limit": limit}
            )
        return tags


class BestPracticeSearchForm(forms.Form):
    """The search box and tag filter of the best-practice list."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)
