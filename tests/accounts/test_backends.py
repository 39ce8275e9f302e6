"""Stored model permissions count for platform staff only, and cost others no queries."""

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _stored(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="accounts", codename=codename)


def test_a_staff_member_has_the_permissions_stored_for_them() -> None:
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(_stored("view_user"))
    assert User.objects.get(pk=staff.pk).has_perm("accounts.view_user")


def test_a_stored_permission_gives_someone_who_is_not_staff_nothing() -> None:
    person = UserFactory()
    person.user_permissions.add(_stored("view_user"))
    assert not User.objects.get(pk=person.pk).has_perm("accounts.view_user")


def test_asking_a_permission_costs_someone_who_is_not_staff_no_query(django_assert_num_queries) -> None:
    person = User.objects.get(pk=UserFactory().pk)
    with django_assert_num_queries(0):
        assert not person.has_perm("accounts.view_user")
        assert not person.has_perm("notifications.view_failed")
