"""Fill the database with believable Dutch demo data; running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from coaching import demo as coaching_demo
from harvest import demo as harvest_demo
from intervision import demo as intervision_demo
from learners import demo as learners_demo
from notifications import demo as notifications_demo
from programmes import demo as programmes_demo


class Command(BaseCommand):
    help = "Create demo organisations, people and programmes (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        world = accounts_demo.seed()
        programmes_demo.seed(world)
        learners_demo.seed(world)
        coaching_demo.seed(world)
        intervision_demo.seed(world)
        harvest_demo.seed(world)
        notifications_demo.seed(world)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at the address below with:"))
        labels = {"participant": "participant", "coach": "learning coach", "hr": "HR admin", "manager": "manager"}
        for demo in world.values():
            self.stdout.write(f"  {demo.organisation.name}")
            for key in accounts_demo.ROLE_KEYS:
                self.stdout.write(f"    {labels[key]:<15} {demo.people[key].email}")
        self.stdout.write(f"  Password for everyone: {accounts_demo.DEMO_PASSWORD}")
        self.stdout.write(
            "  HR admins sign in with two-factor authentication: add the secret "
            f"{accounts_demo.DEMO_TOTP_SECRET} to an authenticator app, or run "
            "`.venv/bin/python manage.py demo_totp` for the current code."
        )
