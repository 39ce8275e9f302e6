"""Forms of the community forum: a new thread, a reply, an edit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Post, Thread

MARKDOWN_HELP = _(
    "You can use Markdown: *italic*, **bold**, a list with a dash (-) at the start of each line, "
    "a link as [text](https://…). HTML is shown as text."
)


class _BodyMixin:
    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write a message."))
        return body


class ThreadForm(_BodyMixin, forms.Form):
    """A new thread: its title and the first post."""

    title = forms.CharField(
        label=_("Title"),
        max_length=Thread._meta.get_field("title").max_length,
        help_text=_("In a few words: what is your question or experience about?"),
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=Post._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the thread a title."))
        return title


class ReplyForm(_BodyMixin, forms.Form):
    """A reply at the bottom of a thread."""

    body = forms.CharField(
        label=_("Your reply"),
        max_length=Post._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )


class PostEditForm(ThreadForm):
    """Editing one's own post; the first post of a thread, by the thread's author, carries its title too."""

    def __init__(self, *args: Any, with_title: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]
