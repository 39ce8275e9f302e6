"""Forms for coaching sessions: planning, asking for one, recording it, cancelling it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.forms import DateInput, DateTimeInput, HttpsURLField, PersonChoiceField, ScopedInlineFormSet
from programmes.models import Membership, Programme

from . import selectors
from .models import CoachingSession, FollowUp


class ParticipantChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        name = obj.user.get_full_name() or obj.user.email
        member = getattr(obj, "community_member", None)
        return f"{name} · {member.community.name}" if member else name


class SessionForm(forms.ModelForm):
    """The coach plans a session: with whom (unless fixed), when, where, and what about."""

    membership = ParticipantChoice(
        label=_("Participant"),
        queryset=Membership.objects.none(),
        help_text=_("Participants of your own communities come first."),
    )

    class Meta:
        model = CoachingSession
        fields = ["membership", "starts_at", "ends_at", "location", "online_url", "agenda"]
        field_classes = {"online_url": HttpsURLField}
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "location": _("A room and building; or leave empty and give an online link."),
            "agenda": _("What you want to talk about. The participant sees it in the invitation."),
        }

    def __init__(self, *args: Any, programme: Programme, coach: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].required = True
        self.fields["ends_at"].required = True
        if self.instance.pk:
            del self.fields["membership"]  # the participant of a session does not change
        else:
            self.fields["membership"].queryset = selectors.session_participants(programme, coach)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and "starts_at" in self.changed_data and starts_at < timezone.now():
            self.add_error("starts_at", _("A session cannot start in the past."))
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        if not cleaned.get("location") and not cleaned.get("online_url") and "online_url" not in self.errors:
            self.add_error("location", _("Give a place or an online link (or both)."))
        return cleaned


class SessionRequestForm(forms.ModelForm):
    """A participant asks a learning coach of the programme for a session."""

    coach = PersonChoiceField(
        label=_("Learning coach"),
        queryset=User.objects.none(),
        empty_label=None,
        help_text=_("Your community's coach is chosen already; you may ask another coach of the programme."),
    )

    class Meta:
        model = CoachingSession
        fields = ["coach", "request_message"]
        labels = {"request_message": _("What would you like to talk about?")}
        help_texts = {
            "request_message": _("A few words are enough. Only the coach you choose reads this."),
        }
        widgets = {"request_message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, programme: Programme, community_coach: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = selectors.programme_coaches(programme)
        self.fields["request_message"].required = True
        if community_coach and not self.is_bound:
            self.initial["coach"] = community_coach.pk


class SessionRecordForm(forms.ModelForm):
    """After the session: the summary both see and the coach's confidential notes."""

    notes = forms.CharField(
        label=_("Confidential notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only you ever see these notes: not the participant, not HR, not a manager, not other coaches."),
    )

    class Meta:
        model = CoachingSession
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}


class BaseFollowUpFormSet(ScopedInlineFormSet):
    def __init__(self, *args: Any, instance: CoachingSession, organisation_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", FollowUp.objects.for_organisation(organisation_id).order_by("due_on", "pk"))
        super().__init__(*args, instance=instance, **kwargs)


FollowUpFormSet = inlineformset_factory(
    CoachingSession,
    FollowUp,
    formset=BaseFollowUpFormSet,
    fields=["description", "due_on"],
    labels={"description": _("Agreed action")},
    widgets={"due_on": DateInput()},
    extra=2,
    can_delete=True,
)


class CancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The other person gets this message by mail, for example with another moment that suits you."),
    )
