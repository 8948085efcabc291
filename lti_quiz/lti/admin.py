from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lti_quiz.lti.models import Deployment, Registration, ResourceLink, ToolKey


class DeploymentInline(admin.TabularInline):
    model = Deployment
    extra = 1


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "issuer",
        "client_id",
        "platform_family",
        "deployment_count",
        "is_active",
        "updated_at",
    ]
    list_filter = ["is_active", "platform_family", "issuer"]
    search_fields = ["name", "issuer", "client_id", "deployments__deployment_id"]
    inlines = [DeploymentInline]
    # Platforms are HTTPS in practice; also silences Django 5.2's warning about the default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "is_active", "platform_family"]}),
        (
            _("Platform"),
            {"fields": ["issuer", "client_id", "auth_login_url", "auth_token_url", "key_set_url"]},
        ),
        (_("Advanced"), {"fields": ["auth_audience", "frame_origins"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return super().get_queryset(request).annotate(deployment_count=Count("deployments"))

    @admin.display(description=_("deployments"), ordering="deployment_count")
    def deployment_count(self, obj: Registration) -> int:
        return obj.deployment_count  # type: ignore[attr-defined]


@admin.register(ToolKey)
class ToolKeyAdmin(admin.ModelAdmin):
    """Read-only: keys are made and rotated by `manage.py lti_keys`. The private key never shows."""

    list_display = ["kid", "created_at", "retired_at", "is_active"]
    fields = readonly_fields = ("kid", "created_at", "retired_at", "public_key_pem")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ToolKey]:
        return super().get_queryset(request).defer("private_key_pem")

    @admin.display(boolean=True, description=_("active"))
    def is_active(self, obj: ToolKey) -> bool:
        return obj.retired_at is None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ToolKey | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ToolKey | None = None) -> bool:
        # Deleting a published key breaks platforms that verify with it: `lti_keys prune` only.
        return False


@admin.register(ResourceLink)
class ResourceLinkAdmin(admin.ModelAdmin):
    """What platforms told us at launch: shown for support, edited only by the next launch."""

    list_display = ["__str__", "context_title", "registration", "can_send_scores", "updated_at"]
    list_filter = ["registration"]
    list_select_related = ["registration"]
    search_fields = ["title", "resource_link_id", "context_id", "context_title"]
    readonly_fields = [
        "registration",
        "deployment_id",
        "resource_link_id",
        "title",
        "context_id",
        "context_title",
        "lineitem_url",
        "lineitems_url",
        "ags_scopes",
        "nrps_url",
        "created_at",
        "updated_at",
    ]

    @admin.display(boolean=True, description=_("sends scores"))
    def can_send_scores(self, obj: ResourceLink) -> bool:
        return obj.can_send_scores

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
