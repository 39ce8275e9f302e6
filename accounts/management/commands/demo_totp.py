"""Print the current two-factor authentication code of the demo HR admins."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Show the current TOTP code for the demo HR admins (demo data only)."

    def handle(self, *args: Any, **options: Any) -> None:
        period = 30
        now = int(time.time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // period))
        self.stdout.write(f"{code}  (valid for another {period - now % period} s)")
