import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.text import search_form

PATH_STEP = 8  # digits per level in OrgUnit.path


def validate_time_zone(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a time zone from the list."), code="invalid_time_zone")


class OrgUnitQuerySet(models.QuerySet):
    def subtree(self, unit: "OrgUnit") -> "OrgUnitQuerySet":
        """The unit and every unit below it, in one indexed prefix query."""
        return self.subtree_of_path(unit.path)

    def subtree_of_path(self, path: str) -> "OrgUnitQuerySet":
        return self.filter(path__startswith=path)


class OrgUnit(models.Model):
    """A node in the organisation tree (ministry → sector → department, any depth).

    ``path`` is a materialised path of zero-padded ids ("00000001.00000004."), so "this unit and
    everything below it" is a ``startswith`` query. It is maintained by ``accounts.services``.
    """

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self) -> str:
        return self.name

    @property
    def root_id(self) -> int:
        return int(self.path[:PATH_STEP])

    def is_within(self, other: "OrgUnit") -> bool:
        """True when this unit is ``other`` or lies below it."""
        return self.path.startswith(other.path)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address.

    The name is one field, stored as typed: "Ђорђе Љубић", "Đorđe Ljubić" and "오현목" alike.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # Empty means the site's time zone (settings.TIME_ZONE); emails wait for the recipient's
    # own sending window in this zone.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Empty uses the time zone of the training centre."),
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    # The root of org_unit, kept so that employee numbers can be unique per organisation.
    organisation = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employee_number = models.CharField(_("employee number"), max_length=50, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can open the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Whether one of the user's roles is privileged (trainer, HR, administrator), so the MFA
    # rule can be checked on every request without reading the user's groups. Only
    # accounts.services.user_set_roles writes it.
    has_privileged_role = models.BooleanField(default=False, editable=False)
    # Name and email folded by lms.text.search_form, so the admin's search for "Đorđe" finds
    # "Ђорђе" the way the catalogue does.
    search_text = models.TextField(editable=False, blank=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set once by accounts.services.user_erase: the person's identity was replaced by a
    # pseudonym, for good.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"],
                condition=~Q(employee_number=""),
                name="unique_employee_number_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.organisation_id = self.org_unit.root_id if self.org_unit_id else None
        self.search_text = search_form(f"{self.full_name} {self.email} {self.employee_number}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "org_unit" in update_fields:
            kwargs["update_fields"] = {*update_fields, "organisation"}
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"full_name", "email", "employee_number"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.get_full_name()

    @property
    def display_name(self) -> str:
        return self.get_full_name()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The person's time zone, or the site's when none is set or it is unknown."""
        return zone_or_default(self.time_zone)


def zone_or_default(name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)
