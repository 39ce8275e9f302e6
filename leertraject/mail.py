"""Mail from templates, in the recipient's own language: the one way the apps send mail.

``<template>_subject.txt`` and ``<template>.txt`` (plus ``<template>.html`` when asked) are
rendered with the recipient's language active; the subject gets the site's prefix.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(
    template: str,
    context: dict[str, Any],
    *,
    to: str,
    language: str,
    html: bool = False,
    reply_to: str | None = None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    headers: dict[str, str] | None = None,
) -> bool:
    """Send one mail; False when the server refuses the address (a retry would not help).

    Other SMTP errors propagate, so that the Celery task calling this retries.
    """
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
            body=render_to_string(f"{template}.txt", context),
            to=[to],
            reply_to=[reply_to] if reply_to else None,
            headers=headers,
        )
        if html:
            message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        return False
    return True
