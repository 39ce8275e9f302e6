"""Organisations (the tenants) and the people who sign in, with email as login."""

from __future__ import annotations

import math

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from leertraject.tenancy import TenantManager, TenantQuerySet

from .colours import contrast_with_white

DEFAULT_PRIMARY_COLOUR = "#154273"
MINIMUM_CONTRAST = 4.5


def validate_primary_colour(value: str) -> None:
    """White text on the primary colour must meet WCAG AA contrast (4.5:1)."""
    contrast = contrast_with_white(value)
    if contrast < MINIMUM_CONTRAST:
        raise ValidationError(
            _("White text on this colour is hard to read (contrast %(ratio)s:1, at least %(minimum)s:1 needed)."),
            # Rounded down: 4.48 shown as "4.5:1" would look like it meets the limit.
            params={
                "ratio": number_format(math.floor(contrast * 10) / 10, 1),
                "minimum": number_format(MINIMUM_CONTRAST, 1),
            },
            code="low_contrast",
        )


class OrganisationQuerySet(TenantQuerySet):
    tenant_path = "pk"


class Organisation(models.Model):
    """A municipality or other organisation: the tenant. Its data never crosses to another."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
        help_text=_("PNG, JPEG or WebP; shown in the header at 40 pixels high."),
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=DEFAULT_PRIMARY_COLOUR,
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb.")),
            validate_primary_colour,
        ],
        help_text=_("Used for the header and buttons, with white text on it."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep personal data after a programme closes (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Personal data of programmes closed longer than this is erased; HR is warned 30 days before. "
            "Empty keeps it until HR erases it."
        ),
    )
    sign_in_domains = models.CharField(
        _("email domains that may sign in with the organisation's own account"),
        max_length=300,
        blank=True,
        help_text=_(
            "Comma-separated, e.g. rotterdam.nl. Someone signing in through the organisation's identity provider "
            "with an address in one of these domains gets an account; others need an invitation."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TenantManager.from_queryset(OrganisationQuerySet)()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_logo_url(self) -> str:
        return reverse("organisation_logo", args=[self.slug]) if self.logo else ""


class UserQuerySet(models.QuerySet):
    def for_organisation(self, organisation: Organisation | int | None) -> UserQuerySet:
        if organisation is None:
            return self.none()
        return self.filter(organisation=organisation)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with email; belongs to one organisation (none for platform staff).

    People are listed per organisation through ``accounts.selectors``; the default
    manager stays unscoped because django-allauth looks users up by email.
    """

    class Language(models.TextChoices):
        DUTCH = "nl", _("Dutch")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
    )
    job_title = models.CharField(_("function"), max_length=150, blank=True)
    department = models.CharField(_("department"), max_length=150, blank=True)
    is_hr_admin = models.BooleanField(
        _("HR admin"),
        default=False,
        help_text=_("Configures the organisation's programmes and enrols people. Requires two-factor authentication."),
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.DUTCH)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.is_hr_admin and self.organisation_id is None:
            raise ValidationError({"is_hr_admin": _("An HR admin must belong to an organisation.")})

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class IdentityProvider(models.Model):
    """An organisation's own sign-in service (OpenID Connect or SAML 2.0), set up as an allauth social app.

    The social app holds the protocol settings (client id and secret, server URL or SAML metadata);
    this link says whose staff sign in through it, and so which accounts it may match or create.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="identity_providers",
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp",
        verbose_name=_("social application"),
        on_delete=models.CASCADE,
        related_name="identity_provider",
        help_text=_("Set up under Social applications: provider OpenID Connect or SAML, with its settings."),
    )

    objects = TenantManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return self.app.name
