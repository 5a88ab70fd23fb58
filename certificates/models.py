from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hexadecimal digits.")
)
IMAGE_MAX_BYTES = 2 * 1024 * 1024


def validate_template_image(upload) -> None:
    """Logos and signatures: PNG or JPEG of at most 2 MB (Pillow checks that it is an image)."""
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; it may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(IMAGE_MAX_BYTES)},
            code="file_too_large",
        )
    if not upload.name.lower().endswith((".png", ".jpg", ".jpeg")):
        raise ValidationError(_("Upload a PNG or JPEG image."), code="file_type")


class CertificateTemplate(models.Model):
    """How a course's certificates look: wording, signatories, logo and colours."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(
        _("default template"),
        default=False,
        help_text=_("Used for every course that has not chosen another template."),
    )
    title = models.CharField(
        _("title wording"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty for “Certificate of completion” in the learner's language."),
    )
    organisation = models.CharField(_("issuing organisation"), max_length=200)
    signatory1_name = models.CharField(_("first signatory"), max_length=120, blank=True)
    signatory1_title = models.CharField(_("first signatory's title"), max_length=120, blank=True)
    signatory1_image = models.ImageField(
        _("first signature image"),
        upload_to="certificate-templates/",
        blank=True,
        validators=[validate_template_image],
    )
    signatory2_name = models.CharField(_("second signatory"), max_length=120, blank=True)
    signatory2_title = models.CharField(_("second signatory's title"), max_length=120, blank=True)
    signatory2_image = models.ImageField(
        _("second signature image"),
        upload_to="certificate-templates/",
        blank=True,
        validators=[validate_template_image],
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="certificate-templates/",
        blank=True,
        validators=[validate_template_image],
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1f3a5f", validators=[colour_validator]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#b08d2e", validators=[colour_validator]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_template"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CourseCertificateSettings(models.Model):
    """The template a course's certificates use; a course without a row uses the default."""

    course = models.OneToOneField(
        "courses.Course",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="certificate_settings",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="course_settings",
    )

    class Meta:
        verbose_name = _("course certificate settings")
        verbose_name_plural = _("course certificate settings")

    def __str__(self) -> str:
        return f"{self.course} — {self.template}"


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    ISSUED = "issued", _("Issued")
    FAILED = "failed", _("Could not be issued")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


LIVE = ~Q(status=CertificateStatus.SUPERSEDED)


def certificate_upload_to(instance: "Certificate", filename: str) -> str:
    return f"certificates/{instance.issued_year}/{filename}"


class Certificate(models.Model):
    """One certificate of one enrollment's cycle. A re-issue (a name corrected) adds a row with
    the same serial and code and the next revision, and marks the previous one superseded, so
    the history stays and the printed QR code keeps verifying the current one."""

    enrollment = models.ForeignKey(
        "courses.Enrollment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    cycle = models.PositiveIntegerField(_("certification cycle"), default=1)
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    # Set from the primary key right after the insert, so it is NULL (never "") for that moment
    # and the (serial, revision) constraint cannot collide on it.
    serial = models.CharField(  # noqa: DJ001
        _("serial number"), max_length=32, null=True, blank=True
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    code = models.CharField(_("verification code"), max_length=32)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
    )
    pdf = models.FileField(_("PDF"), upload_to=certificate_upload_to, blank=True)
    # What the PDF says, kept so verification shows exactly what was printed.
    holder_name = models.CharField(_("name on the certificate"), max_length=200, blank=True)
    course_title = models.CharField(_("course title"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    completed_on = models.DateField(_("completion date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("last queued at"), default=timezone.now)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    failure_reason = models.TextField(_("reason it could not be issued"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("render attempts"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "cycle"],
                condition=LIVE,
                name="one_live_certificate_per_enrollment_cycle",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=LIVE, name="one_live_certificate_per_code"
            ),
            models.UniqueConstraint(
                fields=["serial", "revision"], name="unique_certificate_serial_revision"
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | Q(issued_at__isnull=False),
                name="issued_certificate_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False),
                name="revoked_certificate_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "queued_at"]),
            models.Index(fields=["code"]),
        ]

    def __str__(self) -> str:
        return self.serial or f"certificate #{self.pk}"

    @property
    def issued_year(self) -> int:
        return (self.issued_at or timezone.now()).year

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def verification_state(self) -> str:
        """valid, expired, revoked, pending or failed: what the verification page says."""
        if self.status == CertificateStatus.REVOKED:
            return "revoked"
        if self.status == CertificateStatus.ISSUED:
            return "expired" if self.is_expired() else "valid"
        return self.status

    def download_filename(self) -> str:
        course_slug = self.enrollment.course.slug
        suffix = f"-r{self.revision}" if self.revision else ""
        return f"{self.serial}{suffix}-{course_slug}.pdf"
