"""Platforms the tool trusts, the tool's own keys, and what we learn about placements at launch."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lti_quiz.lti.claims import Scope


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def active(self) -> "RegistrationQuerySet":
        return self.filter(is_active=True)


class Registration(models.Model):
    """A platform registration, keyed by (issuer, client_id): hosted Canvases share one issuer."""

    name = models.CharField(_("name"), max_length=200)
    issuer = models.URLField(_("issuer"), max_length=500)
    client_id = models.CharField(_("client id"), max_length=255)
    auth_login_url = models.URLField(_("OIDC auth login URL"), max_length=500)
    auth_token_url = models.URLField(_("access token URL"), max_length=500)
    auth_audience = models.CharField(
        _("token audience"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty to use the token URL (what almost every platform expects)."),
    )
    key_set_url = models.URLField(_("platform JWKS URL"), max_length=500)
    frame_origins = models.TextField(
        _("extra frame origins"),
        blank=True,
        help_text=_(
            "Origins allowed to frame the tool, one per line "
            "(for example https://school.instructure.com). "
            "The issuer's and login URL's origins are always allowed."
        ),
    )
    # Which LMS this is ("moodle", "canvas", ...): their gradebooks differ in what they keep of
    # a score (docs/platforms.md). From dynamic registration's product_family_code and every
    # launch's tool_platform claim; an admin sets it for a platform that names none.
    platform_family = models.CharField(
        _("platform family"),
        max_length=50,
        blank=True,
        help_text=_(
            "The LMS's product family code: moodle, canvas, ... Learned from dynamic "
            "registration and launches; set it for a platform that does not say."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("platform registration")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "client_id"], name="lti_registration_unique_issuer_client"
            )
        ]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer}, client {self.client_id})"


class Deployment(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="deployments"
    )
    deployment_id = models.CharField(_("deployment id"), max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "deployment_id"],
                name="lti_deployment_unique_per_registration",
            )
        ]

    def __str__(self) -> str:
        return self.deployment_id


class ToolKeyQuerySet(models.QuerySet["ToolKey"]):
    def published(self) -> "ToolKeyQuerySet":
        """The active key plus retired keys still inside their grace period."""
        cutoff = timezone.now() - timedelta(days=settings.LTI_KEY_GRACE_DAYS)
        return self.filter(models.Q(retired_at__isnull=True) | models.Q(retired_at__gte=cutoff))


class ToolKey(models.Model):
    """The tool's RSA signing key. Generated on first use, never committed; rotated by command."""

    kid = models.CharField(max_length=64, unique=True)
    private_key_pem = models.TextField()
    public_key_pem = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ToolKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("tool key")
        ordering = ["-created_at"]
        constraints = [
            # One key signs at a time; the others are retired. Indexed on a constant, not on
            # retired_at: a unique index treats NULLs as distinct, so it would allow many.
            models.UniqueConstraint(
                models.Value(True),
                condition=models.Q(retired_at__isnull=True),
                name="lti_toolkey_one_active",
            )
        ]

    def __str__(self) -> str:
        return self.kid


def placement_key(*, registration_id: int, resource_link_id: str) -> str:
    """A resource link as the quiz room knows it (read back by `for_placement_key`)."""
    return f"lti:{registration_id}:{resource_link_id}"


class ResourceLinkQuerySet(models.QuerySet["ResourceLink"]):
    def for_placement_key(self, key: str) -> "ResourceLink | None":
        """The link behind a quiz placement key (see `ResourceLink.placement_key`)."""
        prefix, _, rest = key.partition(":")
        registration_id, _, resource_link_id = rest.partition(":")
        if prefix != "lti" or not registration_id.isdigit():
            return None
        return self.filter(
            registration_id=int(registration_id), resource_link_id=resource_link_id
        ).first()


class ResourceLink(models.Model):
    """A placement of the tool in a course, as the platform last described it at launch.

    The grade worker reads the AGS endpoints from here: nothing on its path needs the launch.
    """

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="resource_links"
    )
    deployment_id = models.CharField(max_length=255)
    resource_link_id = models.CharField(max_length=255)
    title = models.CharField(max_length=500, blank=True)
    context_id = models.CharField(max_length=255, blank=True)
    context_title = models.CharField(max_length=500, blank=True)
    # AGS: lineitem (may be empty when only lineitems is given; found or created on first score).
    lineitem_url = models.URLField(max_length=1000, blank=True)
    lineitems_url = models.URLField(max_length=1000, blank=True)
    ags_scopes = models.JSONField(default=list, blank=True)
    nrps_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "resource_link_id"],
                name="lti_resourcelink_unique_per_registration",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.resource_link_id

    @property
    def placement_key(self) -> str:
        """The opaque key the quiz room knows this placement by."""
        return placement_key(
            registration_id=self.registration_id, resource_link_id=self.resource_link_id
        )

    @property
    def can_send_scores(self) -> bool:
        return Scope.AGS_SCORE in self.ags_scopes and bool(self.lineitem_url or self.lineitems_url)
