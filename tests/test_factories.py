"""The test harness: a factory for every model of ours, and every tenant model's scope path
leads to the organisation its factory made it for."""

from __future__ import annotations

import inspect

import pytest
from django.apps import apps
from factory.django import DjangoModelFactory

from leertraject.tenancy import TenantQuerySet
from tests import factories
from tests.factories import OrganisationFactory

OUR_APPS = ("accounts", "programmes", "learners", "coaching", "intervision", "notifications", "harvest", "privacy")
FACTORIES = {
    factory._meta.model: factory
    for _name, factory in inspect.getmembers(factories, inspect.isclass)
    if issubclass(factory, DjangoModelFactory) and factory._meta.model is not None
}
MODELS = [model for app in OUR_APPS for model in apps.get_app_config(app).get_models()]


def test_every_model_has_a_factory() -> None:
    missing = [model.__name__ for model in MODELS if model not in FACTORIES]

    assert not missing, f"Models without a factory in tests/factories.py: {missing}"


@pytest.mark.parametrize("model", [m for m in MODELS if m in FACTORIES], ids=lambda m: m.__name__)
def test_each_factory_makes_a_row_its_organisation_sees_and_no_other(db: None, model: type) -> None:
    made = FACTORIES[model]()
    queryset = model.objects.all()
    if not isinstance(queryset, TenantQuerySet):
        assert model.objects.filter(pk=made.pk).exists()
        return
    own = model.objects.unscoped().filter(pk=made.pk).values_list(queryset.tenant_path, flat=True).get()
    other = OrganisationFactory()

    assert model.objects.for_organisation(own).filter(pk=made.pk).exists()
    assert not model.objects.for_organisation(other.pk).filter(pk=made.pk).exists()
