"""Forms participants fill in: the self-assessment, the SWOT, goals with activities and actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import validate_email
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from programmes.forms import DateInput, PeopleChoiceField, ScopedInlineFormSet
from programmes.models import AssessmentItem, BehaviourIndicator, Programme

from .models import Action, Activity, AssessmentResponse, Goal, Reflection, Swot

SCORES = [
    ("1", _("1 – not yet")),
    ("2", _("2 – a little")),
    ("3", _("3 – partly")),
    ("4", _("4 – mostly")),
    ("5", _("5 – fully")),
]


class AssessmentForm(forms.Form):
    """One field per item: a 1–5 scale for statements, free text for open questions."""

    def __init__(
        self, *args: Any, items: list[AssessmentItem], response: AssessmentResponse | None, **kwargs: Any
    ) -> None:
        answers = {answer.item_id: answer for answer in response.answers.all()} if response else {}
        initial = {}
        for item in items:
            answer = answers.get(item.pk)
            if answer:
                initial[self.field_name(item)] = str(answer.score or "") if item.is_statement else answer.text
        super().__init__(*args, initial=initial, **kwargs)
        self.items = items
        for item in items:
            if item.is_statement:
                self.fields[self.field_name(item)] = forms.ChoiceField(
                    label=item.text, choices=SCORES, widget=forms.RadioSelect, required=False
                )
            else:
                self.fields[self.field_name(item)] = forms.CharField(
                    label=item.text, widget=forms.Textarea(attrs={"rows": 3}), required=False
                )

    @staticmethod
    def field_name(item: AssessmentItem) -> str:
        return f"item_{item.pk}"

    @property
    def submitting(self) -> bool:
        return "submit" in self.data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.submitting:
            for item in self.items:
                if item.is_statement and not cleaned.get(self.field_name(item)):
                    self.add_error(self.field_name(item), _("Choose a score from 1 to 5 before you hand it in."))
        return cleaned

    def answers(self) -> dict[int, Any]:
        return {item.pk: self.cleaned_data.get(self.field_name(item)) for item in self.items}


class SwotForm(forms.ModelForm):
    class Meta:
        model = Swot
        fields = ["strengths", "weaknesses", "opportunities", "threats", "strong_in"]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "weaknesses": forms.Textarea(attrs={"rows": 3}),
            "opportunities": forms.Textarea(attrs={"rows": 3}),
            "threats": forms.Textarea(attrs={"rows": 3}),
            "strong_in": forms.CheckboxSelectMultiple(),
        }
        help_texts = {
            "strengths": _("What are you good at, what do others come to you for?"),
            "weaknesses": _("What do you find hard, or avoid?"),
            "opportunities": _("What in your work or surroundings helps you grow?"),
            "threats": _("What could stand in your way?"),
            "strong_in": _("Colleagues who want to develop these can find you once you share a goal."),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strong_in"].queryset = programme.competencies.order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ("strengths", "weaknesses", "opportunities", "threats")):
            raise forms.ValidationError(_("Write down at least one strength, weakness, opportunity or threat."))
        return cleaned


class IndicatorChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: BehaviourIndicator) -> str:
        return f"{obj.competency.name}: {obj.text}"


class GoalForm(forms.ModelForm):
    indicators = IndicatorChoices(
        label=_("Behaviours"),
        queryset=BehaviourIndicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Optional: the behaviours you want to show more of."),
    )

    class Meta:
        model = Goal
        fields = ["title", "why", "success", "competencies", "indicators", "visibility"]
        widgets = {
            "why": forms.Textarea(attrs={"rows": 2}),
            "success": forms.Textarea(attrs={"rows": 2}),
            "competencies": forms.CheckboxSelectMultiple(),
            "visibility": forms.RadioSelect(),
        }
        help_texts = {
            "title": _("What do you want to learn? For example: “I take the initiative in meetings with partners.”"),
            "success": _("How will you and others notice that you got there?"),
            "visibility": _("You can change this at any time."),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        competencies = programme.competencies.order_by("name")
        self.fields["competencies"].queryset = competencies
        self.fields["indicators"].queryset = (
            BehaviourIndicator.objects.for_organisation(programme.organisation_id)
            .filter(competency__in=competencies)
            .select_related("competency")
            .order_by("competency__name", "position", "pk")
        )


class BaseGoalPartFormSet(ScopedInlineFormSet):
    def __init__(self, *args: Any, instance: Goal, organisation_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", self.model.objects.for_organisation(organisation_id))
        super().__init__(*args, instance=instance, **kwargs)


ActivityFormSet = inlineformset_factory(
    Goal,
    Activity,
    formset=BaseGoalPartFormSet,
    fields=["kind", "description"],
    extra=2,
    can_delete=True,
)

ActionFormSet = inlineformset_factory(
    Goal,
    Action,
    formset=BaseGoalPartFormSet,
    fields=["description", "due_on"],
    widgets={"due_on": DateInput()},
    extra=2,
    can_delete=True,
)


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = Reflection
        fields = ["tried", "happened", "learned", "next_step"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in fields}


class ActionDoneForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False, help_text=_("Optional: how did it go?"))


class FeedbackRequestForm(forms.Form):
    """Ask colleagues in the programme, and anyone else by email, one question about a goal."""

    MAX_PEOPLE = 10

    question = forms.CharField(
        label=_("Your question"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “What do you see me do when I take the initiative, and what could I do more?”"),
    )
    colleagues = PeopleChoiceField(
        label=_("Colleagues in the programme"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    emails = forms.CharField(
        label=_("Others, by email address"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One address per line. They need no account: they answer through a personal link."),
    )

    def __init__(self, *args: Any, colleagues: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleagues"].queryset = colleagues
        self.owner = owner

    def clean_emails(self) -> list[str]:
        addresses = []
        for line in self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").splitlines():
            address = line.strip()
            if not address:
                continue
            try:
                validate_email(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(address)s” is not a valid email address."), params={"address": address}
                ) from None
            if address.lower() == self.owner.email.lower():
                raise forms.ValidationError(_("You cannot ask yourself for feedback."))
            if address.lower() not in {known.lower() for known in addresses}:
                addresses.append(address)
        return addresses

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        colleagues, emails = cleaned.get("colleagues"), cleaned.get("emails")
        if colleagues is None or emails is None:
            return cleaned
        people = {colleague.email.lower() for colleague in colleagues} | {email.lower() for email in emails}
        if not people:
            raise forms.ValidationError(_("Choose at least one colleague or enter an email address."))
        if len(people) > self.MAX_PEOPLE:
            raise forms.ValidationError(_("Ask at most %(count)d people at a time."), params={"count": self.MAX_PEOPLE})
        return cleaned


class FeedbackAnswerForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    answer = forms.CharField(label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
