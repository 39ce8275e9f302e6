"""Forms HR admins use to set up a programme. Choices only ever offer the own organisation's rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

from .models import AssessmentItem, BehaviourIndicator, Competency, Phase, Programme


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "description", "goals", "starts_on", "ends_on", "status", "competencies"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "competencies": forms.CheckboxSelectMultiple(),
        }
        help_texts = {"goals": _("One goal per line.")}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["competencies"].queryset = Competency.objects.for_organisation(organisation)
        if not self.fields["competencies"].queryset.exists():
            self.fields["competencies"].help_text = _("Your organisation has no competencies yet.")

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        same_title = Programme.objects.for_organisation(self.instance.organisation).filter(title__iexact=title)
        if same_title.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Your organisation already has a programme with this title."))
        return title


class CopyProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title of the new programme"), max_length=200)
    starts_on = forms.DateField(label=_("Start date of the new programme"), widget=DateInput())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        if Programme.objects.for_organisation(self.organisation).filter(title__iexact=title).exists():
            raise forms.ValidationError(_("Your organisation already has a programme with this title."))
        return title


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["kind", "title", "starts_at", "ends_at", "location", "online_url", "description"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("Optional; without a title the kind of phase is shown."),
            "location": _("A room and building, or leave empty for an online session."),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme


class CompetencyForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        same_name = Competency.objects.for_organisation(self.instance.organisation).filter(name__iexact=name)
        if same_name.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Your organisation already has a competency with this name."))
        return name


class BaseIndicatorFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args: Any, instance: Competency, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", BehaviourIndicator.objects.for_organisation(instance.organisation_id))
        super().__init__(*args, instance=instance, **kwargs)


IndicatorFormSet = inlineformset_factory(
    Competency,
    BehaviourIndicator,
    formset=BaseIndicatorFormSet,
    fields=["text"],
    labels={"text": _("Behaviour")},
    extra=3,
    can_delete=True,
)


class AssessmentItemForm(forms.ModelForm):
    class Meta:
        model = AssessmentItem
        fields = ["position", "kind", "text", "competency"]
        widgets = {"position": forms.NumberInput(attrs={"min": 0, "class": "position-input"})}


class BaseAssessmentFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args: Any, instance: Programme, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", AssessmentItem.objects.for_organisation(instance.organisation_id))
        super().__init__(*args, instance=instance, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["competency"].queryset = self.instance.competencies.all()
        form.fields["competency"].help_text = _("Only the programme's own competencies can be chosen.")

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            is_statement = data and not data.get("DELETE") and data.get("kind") == AssessmentItem.Kind.STATEMENT
            if is_statement and not data.get("competency"):
                form.add_error("competency", _("A statement belongs to one of the programme's competencies."))


AssessmentFormSet = inlineformset_factory(
    Programme,
    AssessmentItem,
    form=AssessmentItemForm,
    formset=BaseAssessmentFormSet,
    extra=3,
    can_delete=True,
)
