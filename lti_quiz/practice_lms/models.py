"""The practice LMS's own world: one course, its people, the tool it knows, grades it received.

Nothing here knows the tool's code: the tool is a `ToolRecord` (URLs and a client id), exactly what
an LMS admin types into Canvas or Moodle.
"""

import hashlib
import uuid
from datetime import timedelta

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_opaque_id() -> str:
    return uuid.uuid4().hex


class PlatformKeyQuerySet(models.QuerySet["PlatformKey"]):
    def signing(self) -> "PlatformKey | None":
        """The newest key signs; older ones stay published so tools can still verify."""
        return self.order_by("-created_at", "-id").first()


class PlatformKey(models.Model):
    kid = models.CharField(_("key id"), max_length=64, unique=True)
    private_key_pem = models.TextField(_("private key (PEM)"))
    public_key_pem = models.TextField(_("public key (PEM)"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = PlatformKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("platform key")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.kid


class ToolRecord(models.Model):
    """What the LMS admin registered about the tool (Canvas: developer key; Moodle: tool type)."""

    name = models.CharField(_("name"), max_length=200, default="LTI Quiz")
    client_id = models.CharField(_("client id"), max_length=255, unique=True)
    login_url = models.URLField(_("OIDC login initiation URL"), max_length=500)
    launch_url = models.URLField(_("target link URI"), max_length=500)
    redirect_uris = models.TextField(_("redirect URIs"), help_text=_("One per line."))
    jwks_url = models.URLField(_("tool JWKS URL"), max_length=500)
    deployment_id = models.CharField(_("deployment id"), max_length=255, default="1")

    class Meta:
        verbose_name = _("tool")

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    @property
    def redirect_uri_list(self) -> list[str]:
        return [line.strip() for line in self.redirect_uris.splitlines() if line.strip()]


class Course(models.Model):
    class BehavesLike(models.TextChoices):
        """Whose gradebook rules the score endpoint follows (and the product family it names
        itself by in launches and dynamic registration)."""

        PRACTICE = "practice-lms", _("Practice LMS: keeps every score as sent")
        MOODLE = "moodle", _("Moodle: drops scores not FullyGraded, 409 within the same second")
        CANVAS = "canvas", _("Canvas: keeps PendingManual as needs grading, 400 for older ones")

    # What the course page offers to launch in: the tool's languages, regional variants it
    # must fold into them, and one it does not ship (it falls back).
    LOCALES = [
        ("en", "English"),
        ("es", "Español"),
        ("es-MX", "Español (México)"),
        ("fr", "Français"),
        ("fr-CA", "Français (Canada)"),
        ("de", "Deutsch (not shipped by the tool)"),
    ]
    TIME_ZONES = [
        ("", "None sent (the browser's own zone)"),
        ("America/Mexico_City", "America/Mexico_City"),
        ("America/Toronto", "America/Toronto"),
        ("Europe/Paris", "Europe/Paris"),
        ("Asia/Tokyo", "Asia/Tokyo"),
    ]

    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=200)
    label = models.CharField(_("label"), max_length=50)
    context_id = models.CharField(
        _("context id"), max_length=64, unique=True, default=new_opaque_id
    )
    # The --base-url given to setup: the platform's issuer and absolute URLs use it, so they stay
    # the same whichever host the course page was opened at (like a real LMS's fixed domain).
    base_url = models.URLField(_("base URL"), max_length=500, blank=True)
    behaves_like = models.CharField(
        _("behaves like"), max_length=20, choices=BehavesLike.choices, default=BehavesLike.PRACTICE
    )
    # Like Canvas's course language setting: every launch from the course asks for this locale
    # (launch_presentation.locale). The time zone goes in a custom `timezone` parameter, as a
    # Canvas admin would send $Person.address.timezone; "" sends none.
    locale = models.CharField(_("language of launches"), max_length=35, default="en")
    time_zone = models.CharField(_("time zone sent in launches"), max_length=64, blank=True)

    def __str__(self) -> str:
        return self.title


class Person(models.Model):
    class Role(models.TextChoices):
        INSTRUCTOR = "instructor", _("Instructor")
        STUDENT = "student", _("Student")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="people")
    user_id = models.CharField(
        _("user id (sub)"), max_length=64, unique=True, default=new_opaque_id
    )
    name = models.CharField(_("name"), max_length=200)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "email"], name="practice_person_unique_email")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def is_student(self) -> bool:
        return self.role == self.Role.STUDENT


class ResourceLink(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="resource_links")
    tool = models.ForeignKey(ToolRecord, on_delete=models.SET_NULL, null=True, blank=True)
    slug = models.SlugField()
    resource_link_id = models.CharField(max_length=64, unique=True, default=new_opaque_id)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Custom parameters the tool asked for when it was deep-linked; sent on every launch.
    custom = models.JSONField(_("custom parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="practice_link_unique_slug")
        ]

    def __str__(self) -> str:
        return self.title


class LineItem(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="line_items")
    resource_link = models.ForeignKey(
        ResourceLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="line_items"
    )
    label = models.CharField(_("label"), max_length=200)
    score_maximum = models.DecimalField(_("score maximum"), max_digits=10, decimal_places=4)
    tag = models.CharField(_("tag"), max_length=200, blank=True)
    resource_id = models.CharField(_("resource id"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score_maximum__gt=0), name="practice_lineitem_max_positive"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Score(models.Model):
    """One score POST the platform accepted, exactly as received."""

    line_item = models.ForeignKey(LineItem, on_delete=models.CASCADE, related_name="scores")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="scores")
    score_given = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    score_maximum = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    activity_progress = models.CharField(max_length=20)
    grading_progress = models.CharField(max_length=20)
    timestamp = models.DateTimeField()
    timestamp_text = models.CharField(max_length=64)
    comment = models.TextField(blank=True)
    body = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["line_item", "person", "-timestamp"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.score_given}/{self.score_maximum} ({self.grading_progress})"


class FailureSwitch(models.Model):
    """Makes the score endpoint fail for the next `remaining` calls, to show the tool's retries."""

    class Status(models.IntegerChoices):
        UNAVAILABLE = 503, "503 Service Unavailable"
        TOO_MANY = 429, "429 Too Many Requests"

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="failure_switch")
    status = models.PositiveSmallIntegerField(choices=Status.choices, default=Status.UNAVAILABLE)
    remaining = models.PositiveIntegerField(default=0)
    injected = models.PositiveIntegerField(_("failures injected"), default=0)

    def __str__(self) -> str:
        return f"{self.status} for the next {self.remaining} score calls"

    def take(self) -> bool:
        """Use up one failure if any is left. Race-safe: the conditional UPDATE decides."""
        taken = FailureSwitch.objects.filter(pk=self.pk, remaining__gt=0).update(
            remaining=F("remaining") - 1, injected=F("injected") + 1
        )
        return taken == 1


class Counter(models.Model):
    """Named counters shown on the course page (token requests, score calls, ...)."""

    TOKEN_REQUESTS = "token_requests"
    SCORE_CALLS = "score_calls"
    NRPS_CALLS = "nrps_calls"
    LAUNCHES = "launches"

    name = models.CharField(max_length=50, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"

    @classmethod
    def bump(cls, name: str) -> None:
        if not cls.objects.filter(name=name).update(value=F("value") + 1):
            counter, created = cls.objects.get_or_create(name=name, defaults={"value": 1})
            if not created:
                # Another request created it between our UPDATE and INSERT.
                cls.objects.filter(pk=counter.pk).update(value=F("value") + 1)

    @classmethod
    def value_of(cls, name: str) -> int:
        return cls.objects.filter(name=name).values_list("value", flat=True).first() or 0


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccessTokenQuerySet(models.QuerySet["AccessToken"]):
    def live(self) -> "AccessTokenQuerySet":
        return self.filter(expires_at__gt=timezone.now())

    def find(self, token: str) -> "AccessToken | None":
        return self.select_related("tool").filter(token_hash=token_digest(token)).first()


class AccessToken(models.Model):
    """An OAuth 2 access token issued to the tool. Only its SHA-256 is kept."""

    tool = models.ForeignKey(ToolRecord, on_delete=models.CASCADE, related_name="access_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.TextField()
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"token for {self.tool} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class UsedAssertion(models.Model):
    """jti values of client assertions already used: an assertion works once."""

    tool = models.ForeignKey(ToolRecord, on_delete=models.CASCADE)
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tool", "jti"], name="practice_assertion_unique_jti")
        ]

    def __str__(self) -> str:
        return self.jti


LAUNCH_HINT_LIFETIME = timedelta(minutes=10)


class LaunchRequest(models.Model):
    """A launch the course page started; its `hint` travels as lti_message_hint (like Canvas)."""

    class Mode(models.TextChoices):
        IFRAME = "iframe", _("In the course page (iframe)")
        WINDOW = "window", _("New window")

    class MessageType(models.TextChoices):
        RESOURCE_LINK = "LtiResourceLinkRequest", _("open a resource link")
        DEEP_LINKING = "LtiDeepLinkingRequest", _("add an activity (deep linking)")
        SUBMISSION_REVIEW = "LtiSubmissionReviewRequest", _("review a submission (gradebook)")

    hint = models.CharField(max_length=64, unique=True, default=new_opaque_id)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    message_type = models.CharField(
        max_length=40, choices=MessageType.choices, default=MessageType.RESOURCE_LINK
    )
    # A resource link launch opens a link; a deep linking request names the tool and the course.
    resource_link = models.ForeignKey(ResourceLink, on_delete=models.CASCADE, null=True, blank=True)
    tool = models.ForeignKey(
        ToolRecord, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Submission review: the student whose submission the instructor opened (for_user claim).
    for_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Deep linking: the opaque `data` sent, which the tool's response must echo; set once used.
    deep_link_data = models.CharField(max_length=64, blank=True)
    deep_link_returned_at = models.DateTimeField(null=True, blank=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IFRAME)
    created_at = models.DateTimeField(default=timezone.now)
    id_tokens_issued = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.person} → {self.resource_link} ({self.mode})"

    @property
    def is_expired(self) -> bool:
        return self.created_at + LAUNCH_HINT_LIFETIME < timezone.now()


REGISTRATION_INVITE_LIFETIME = timedelta(hours=1)


class RegistrationInvite(models.Model):
    """A one-time registration token handed to a tool for LTI Dynamic Registration (like Moodle's).

    Only the token's digest is kept; the token itself travels once, in the tool's URL.
    """

    token_digest = models.CharField(max_length=64, unique=True)
    tool_url = models.URLField(_("tool registration URL"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    tool = models.ForeignKey(ToolRecord, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.tool_url} ({'used' if self.used_at else 'open'})"

    @property
    def is_expired(self) -> bool:
        return self.created_at + REGISTRATION_INVITE_LIFETIME < timezone.now()
