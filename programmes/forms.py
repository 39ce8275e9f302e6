"""Forms HR admins use to set up a programme. Choices only ever offer the own organisation's rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User

from .models import (
    AssessmentItem,
    BehaviourIndicator,
    Competency,
    Event,
    Membership,
    Phase,
    Programme,
    Registration,
    Weekday,
    day_offsets,
    validate_day_offsets,
)
from .selectors import phases_outside


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


# When coaches see a participant as stalled (coach dashboard); HR sets them per programme.
THRESHOLDS = ("stalled_after_days", "plan_due_days")
# What participants are reminded of by mail (notifications), shown in a fieldset of their own.
REMINDERS = ("action_due_soon_days", "action_overdue_days", "reflection_weekday")


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "title",
            "description",
            "goals",
            "starts_on",
            "ends_on",
            "status",
            "competencies",
            "stalled_after_days",
            "plan_due_days",
            *REMINDERS,
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "competencies": forms.CheckboxSelectMultiple(),
        }
        help_texts = {
            "goals": _("One goal per line."),
            "reflection_weekday": _("Participants with a goal get a short prompt to write a reflection on this day."),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["competencies"].queryset = Competency.objects.for_organisation(organisation)
        if not self.fields["competencies"].queryset.exists():
            self.fields["competencies"].help_text = _("Your organisation has no competencies yet.")
        for name in (*THRESHOLDS, "action_due_soon_days"):  # optional: left empty, the current (or default) value stays
            self.fields[name].required = False
        self.fields["reflection_weekday"].choices = [("", _("No weekly prompt")), *Weekday.choices]

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        return [field for field in self if field.name not in REMINDERS]

    @property
    def reminder_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in REMINDERS]

    def _clean_threshold(self, name: str) -> int:
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value is None else value

    def clean_stalled_after_days(self) -> int:
        return self._clean_threshold("stalled_after_days")

    def clean_plan_due_days(self) -> int:
        return self._clean_threshold("plan_due_days")

    def clean_action_due_soon_days(self) -> int:
        return self._clean_threshold("action_due_soon_days")

    def clean_action_overdue_days(self) -> str:
        """ " 7, 1,3" is kept as "1,3,7"."""
        value = self.cleaned_data["action_overdue_days"]
        validate_day_offsets(value)
        return ",".join(str(days) for days in day_offsets(value))

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        same_title = Programme.objects.for_organisation(self.instance.organisation).filter(title__iexact=title)
        if same_title.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Your organisation already has a programme with this title."))
        return title

    def clean(self) -> dict[str, Any]:
        """Moving the period of an existing programme may not leave any of its phases outside it."""
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if self.instance.pk and starts_on and ends_on and starts_on <= ends_on:
            outside = phases_outside(self.instance, starts_on, ends_on)
            if outside:
                raise forms.ValidationError(
                    _("Phases would fall outside the new period: %(phases)s. Move or remove them first.")
                    % {"phases": ", ".join(phase.display_title for phase in outside)}
                )
        return cleaned


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


class HttpsURLField(forms.URLField):
    """A link typed without a scheme ("teams.example/abc") is taken as https."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["kind", "title", "starts_at", "ends_at", "location", "online_url", "description"]
        field_classes = {"online_url": HttpsURLField}
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


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "capacity",
            "competencies",
        ]
        field_classes = {"online_url": HttpsURLField}
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "competencies": forms.CheckboxSelectMultiple(),
        }
        help_texts = {
            "capacity": _("When all places are taken, people can join the waiting list."),
            "competencies": _("Which competencies this event helps to develop."),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        choices = programme.competencies.all()
        if not choices.exists():
            choices = Competency.objects.for_organisation(programme.organisation_id)
        self.fields["competencies"].queryset = choices
        self.fields["capacity"].widget.attrs["min"] = 1

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            taken = self.instance.registrations.filter(status=Registration.Status.REGISTERED).count()
            if capacity < taken:
                raise forms.ValidationError(
                    _("%(count)s people already have a place; the event needs at least that many places.")
                    % {"count": taken}
                )
        return capacity


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


class ScopedInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset whose hidden row ids only accept rows of its own parent object.

    Django checks a posted row id against the model's default manager, which for tenant
    models refuses to run unscoped; the parent's own rows are the only valid choices.
    """

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields[self._pk_field.name].queryset = self.get_queryset()


class BaseIndicatorFormSet(ScopedInlineFormSet):
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


class PersonChoiceField(forms.ModelChoiceField):
    """Choose one person, shown by full name (or email address when there is none)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """Choose several people, shown by full name (or email address when there is none)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BehaviourIndicator) -> str:
        return f"{obj.competency.name}: {obj.text}"


class AssessmentItemForm(forms.ModelForm):
    class Meta:
        model = AssessmentItem
        fields = ["position", "kind", "text", "competency", "indicator"]
        field_classes = {"indicator": IndicatorChoiceField}
        widgets = {"position": forms.NumberInput(attrs={"min": 0, "class": "position-input"})}
        help_texts = {
            "position": _("Items are shown from low to high."),
            "indicator": _("Optional: a statement about one behaviour of the competency."),
        }


class BaseAssessmentFormSet(ScopedInlineFormSet):
    """The programme's self-assessment as an ordered list; only the programme's competencies can be chosen.

    Statements need a competency (or an indicator, which implies its competency): see ``AssessmentItem.clean``.
    """

    def __init__(self, *args: Any, instance: Programme, **kwargs: Any) -> None:
        kwargs.setdefault(
            "queryset", AssessmentItem.objects.for_organisation(instance.organisation_id).order_by("position", "pk")
        )
        super().__init__(*args, instance=instance, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["competency"].queryset = self.instance.competencies.all()
        form.fields["competency"].help_text = _("Only the programme's own competencies can be chosen.")
        form.fields["indicator"].queryset = (
            BehaviourIndicator.objects.for_organisation(self.instance.organisation_id)
            .filter(competency__programmes=self.instance)
            .select_related("competency")
            .order_by("competency__name", "position", "pk")
        )


AssessmentFormSet = inlineformset_factory(
    Programme,
    AssessmentItem,
    form=AssessmentItemForm,
    formset=BaseAssessmentFormSet,
    extra=3,
    can_delete=True,
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "CSV (comma or semicolon) or XLSX with the columns first name, last name, email, function, "
            "department and manager's email. Dutch column names work too."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class AddPersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    job_title = forms.CharField(label=_("Function"), max_length=150, required=False)
    department = forms.CharField(label=_("Department"), max_length=150, required=False)
    manager_email = forms.EmailField(label=_("Manager's email"), required=False)


class RoleForm(forms.Form):
    """A learning coach's or manager's role for a colleague of the organisation, found by their
    email address: a list of every colleague would hold hundreds or thousands of names."""

    ROLE_CHOICES = [
        (Membership.Role.COACH, Membership.Role.COACH.label),
        (Membership.Role.MANAGER, Membership.Role.MANAGER.label),
    ]

    email = forms.EmailField(
        label=_("Colleague's email address"),
        help_text=_("The colleague needs an account in your organisation."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self) -> dict[str, Any]:
        """Adds ``user``: the active account of the organisation with that address."""
        cleaned = super().clean()
        email = cleaned.get("email")
        if email:
            user = User.objects.for_organisation(self.organisation).filter(is_active=True, email__iexact=email).first()
            if user is None:
                self.add_error("email", _("Nobody in your organisation has an account with this email address."))
            else:
                cleaned["user"] = user
        return cleaned
