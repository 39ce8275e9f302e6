"""Forms of the method library: a method with its ordered steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from programmes.forms import ScopedInlineFormSet

from .models import Method, MethodStep


class MethodForm(forms.ModelForm):
    class Meta:
        model = Method
        fields = ["language", "name", "summary", "source"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "language": _("The library shows each person the methods in their own language."),
            "source": _("Who described the method, for example an author or a book."),
        }

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id
        self.instance.organisation_id = organisation_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        name, language = cleaned.get("name"), cleaned.get("language")
        if name and language:
            others = Method.objects.for_organisation(self.organisation_id).filter(language=language, name__iexact=name)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("name", _("Your library already has a method with this name in this language."))
        return cleaned


class StepForm(forms.ModelForm):
    class Meta:
        model = MethodStep
        fields = ["position", "title", "purpose", "minutes", "speaker"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["minutes"].min_value = 1
        self.fields["minutes"].widget.attrs["min"] = 1
        self.fields["minutes"].error_messages["min_value"] = _("A step takes at least 1 minute.")
        self.fields["position"].min_value = 1
        self.fields["position"].widget.attrs["min"] = 1

    def clean_minutes(self) -> int:
        minutes = self.cleaned_data.get("minutes")
        if minutes is not None and minutes < 1:
            raise forms.ValidationError(_("A step takes at least 1 minute."))
        return minutes

    def clean_position(self) -> int:
        position = self.cleaned_data.get("position")
        if position is not None and position < 1:
            raise forms.ValidationError(_("The order starts at 1."))
        return position


class BaseStepFormSet(ScopedInlineFormSet):
    def __init__(self, *args: Any, instance: Method, **kwargs: Any) -> None:
        kwargs.setdefault(
            "queryset", MethodStep.objects.for_organisation(instance.organisation_id).order_by("position")
        )
        super().__init__(*args, instance=instance, **kwargs)

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        positions: list[int] = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            positions.append(form.cleaned_data["position"])
        if not positions:
            raise forms.ValidationError(_("A method needs at least one step."))
        if len(positions) != len(set(positions)):
            raise forms.ValidationError(_("Two steps have the same order number; give each step its own number."))


StepFormSet = inlineformset_factory(
    Method, MethodStep, form=StepForm, formset=BaseStepFormSet, extra=2, can_delete=True
)
