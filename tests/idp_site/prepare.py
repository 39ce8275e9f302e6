"""Set up the identity provider site: its database, one client (Leertraject) and its people.

Run as ``python -m tests.idp_site.prepare REDIRECT_URI CLIENT_SECRET EMAIL:PASSWORD:VERIFIED ...``
with ``DJANGO_SETTINGS_MODULE=tests.idp_site.settings`` and ``IDP_SITE_DIR`` set.
"""

from __future__ import annotations

import sys

import django
from django.core.management import call_command

CLIENT_ID = "leertraject"


def main(redirect_uri: str, client_secret: str, people: list[str]) -> None:
    django.setup()
    from allauth.account.models import EmailAddress
    from allauth.idp.oidc.models import Client
    from django.contrib.auth.models import User

    call_command("migrate", verbosity=0)
    client = Client(id=CLIENT_ID, name="Leertraject", skip_consent=True)
    client.set_secret(client_secret)
    client.set_scopes(["openid", "profile", "email"])
    client.set_redirect_uris([redirect_uri])
    client.save()
    for person in people:
        email, password, verified = person.split(":")
        user = User.objects.create_user(username=email.split("@")[0], email=email, password=password)
        user.first_name, user.last_name = "Fatima", "Amrani"
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=verified == "verified", primary=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
