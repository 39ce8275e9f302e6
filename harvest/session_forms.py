"""Forms of the harvest session: a new initiative, a manager's answer, and recognition."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from learners.models import Action, Goal
from programmes.forms import DateInput
from programmes.models import Membership, Programme

from .answers import check_answer
from .models import Answer, Initiative, Recognition


class InitiativeForm(forms.ModelForm):
    sign_up = forms.BooleanField(label=_("Sign me up for it too"), required=False, initial=True)

    class Meta:
        model = Initiative
        fields = ["title", "description"]
        labels = {"title": _("Name of the initiative")}
        help_texts = {
            "title": _("For example: an intervision group, a training module, an area tour."),
            "description": _("Who is it for, what will you do, and when?"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        taken = Initiative.objects.for_organisation(self.programme.organisation_id).filter(
            programme=self.programme, title__iexact=title
        )
        if taken.exists():
            raise ValidationError(
                _("There is already an initiative called “%(title)s”: sign up for that one instead."),
                params={"title": title},
            )
        return title

    def validate_unique(self) -> None:
        """The title is checked above; the service catches the rare simultaneous twin."""


class DecisionSelect(forms.RadioSelect):
    """Radio buttons whose group points at its first option, so that the error summary's link lands there."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class AnswerForm(forms.Form):
    """A decision with its words; a theme when the answer is not about one harvest item."""

    theme = forms.CharField(
        label=_("Theme"),
        max_length=200,
        help_text=_("What participants brought up, in their words: for example “time for learning in the diary”."),
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=Answer.Decision.choices, widget=DecisionSelect)
    act_by = forms.DateField(
        label=_("We act by"), required=False, widget=DateInput(), help_text=_("Only for “We will act on it”.")
    )
    text = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you decided and why, in plain words. For “Not now”: why not."),
    )

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        today: date,
        about_theme: bool,
        answer: Answer | None = None,
        **kwargs: Any,
    ) -> None:
        if answer is not None:
            kwargs.setdefault("initial", {"decision": answer.decision, "act_by": answer.act_by, "text": answer.text})
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.today = today
        self.answer = answer
        if not about_theme:
            del self.fields["theme"]

    def clean_theme(self) -> str:
        theme = self.cleaned_data["theme"].strip()
        answered = Answer.objects.for_organisation(self.programme.organisation_id).filter(
            programme=self.programme, theme__iexact=theme
        )
        if answered.exists():
            raise ValidationError(_("This theme has an answer already: change that answer instead."), code="answered")
        return theme

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "decision" in cleaned:
            try:
                check_answer(
                    decision=cleaned["decision"],
                    act_by=cleaned.get("act_by"),
                    text=cleaned.get("text", ""),
                    today=self.today,
                    kept_date=self.answer.act_by if self.answer else None,
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    if self.has_error(name, "required"):  # the reason says more than "this field is required"
                        self.errors[name] = self.error_class(messages)
                    elif not self.has_error(name):  # an unreadable date keeps its own message
                        self.add_error(name, messages)
        return cleaned


class ParticipantChoiceForm(forms.Form):
    """Whom the manager saw: the participants who report to them first."""

    participant = forms.TypedChoiceField(label=_("Participant"), coerce=int)

    def __init__(self, *args: Any, direct: list[Membership], others: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = {membership.pk: membership for membership in [*direct, *others]}
        choices: list[Any] = [("", _("Choose a participant"))]
        if direct:
            choices.append((_("Reports to you"), [(m.pk, m.user.get_full_name()) for m in direct]))
            if others:
                choices.append((_("Other participants"), [(m.pk, m.user.get_full_name()) for m in others]))
        else:
            choices.extend((m.pk, m.user.get_full_name()) for m in others)
        self.fields["participant"].choices = choices

    def clean_participant(self) -> Membership:
        return self.memberships[self.cleaned_data["participant"]]


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return obj.title


class ActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        return f"{obj.goal.title}: {obj.description}"


class RecognitionForm(forms.ModelForm):
    """What the manager saw, optionally linked to one of the participant's shared goals or actions."""

    class Meta:
        model = Recognition
        fields = ["message", "goal", "action"]
        labels = {"goal": _("About the goal"), "action": _("About the action")}
        help_texts = {
            "message": _(
                "Something concrete you saw: what they did and what it brought about. At most 500 characters."
            ),
            "goal": _("Optional. Only goals the participant shares with the programme are listed."),
            "action": _("Optional."),
        }
        field_classes = {"goal": GoalChoiceField, "action": ActionChoiceField}
        widgets = {"message": forms.Textarea(attrs={"rows": 4, "maxlength": 500})}

    def __init__(
        self, *args: Any, organisation_id: int, goals: list[Goal], actions: list[Action], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.for_organisation(organisation_id).filter(
            pk__in=[goal.pk for goal in goals]
        )
        self.fields["goal"].empty_label = _("No particular goal")
        self.fields["action"].queryset = (
            Action.objects.for_organisation(organisation_id)
            .filter(pk__in=[action.pk for action in actions])
            .select_related("goal")
        )
        self.fields["action"].empty_label = _("No particular action")
        if not goals:
            del self.fields["goal"]
        if not actions:
            del self.fields["action"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        goal, action = cleaned.get("goal"), cleaned.get("action")
        if goal is not None and action is not None and action.goal_id != goal.pk:
            self.add_error("action", _("Choose an action of the goal you chose."))
        return cleaned
