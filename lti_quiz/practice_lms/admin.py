from django.contrib import admin

from lti_quiz.practice_lms import models


@admin.register(models.PlatformKey)
class PlatformKeyAdmin(admin.ModelAdmin):
    list_display = ["kid", "created_at"]
    fields = ("kid", "public_key_pem", "created_at")  # the private key is never shown
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(models.ToolRecord)
class ToolRecordAdmin(admin.ModelAdmin):
    list_display = ["name", "client_id", "login_url", "jwks_url", "deployment_id"]


class PersonInline(admin.TabularInline):
    model = models.Person
    extra = 0


@admin.register(models.Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "label", "context_id"]
    inlines = [PersonInline]


@admin.register(models.ResourceLink)
class ResourceLinkAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "tool", "resource_link_id"]


@admin.register(models.LineItem)
class LineItemAdmin(admin.ModelAdmin):
    list_display = ["label", "course", "resource_link", "score_maximum", "tag"]


@admin.register(models.Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "line_item",
        "score_given",
        "score_maximum",
        "activity_progress",
        "grading_progress",
        "timestamp_text",
        "received_at",
    ]
    list_filter = ["grading_progress", "activity_progress"]
    readonly_fields = [f.name for f in models.Score._meta.fields]


@admin.register(models.FailureSwitch)
class FailureSwitchAdmin(admin.ModelAdmin):
    list_display = ["course", "status", "remaining", "injected"]


@admin.register(models.Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["name", "value"]


@admin.register(models.AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ["tool", "scopes", "created_at", "expires_at"]
    exclude = ["token_hash"]
    readonly_fields = ["tool", "scopes", "created_at", "expires_at"]


@admin.register(models.LaunchRequest)
class LaunchRequestAdmin(admin.ModelAdmin):
    list_display = ["person", "resource_link", "mode", "created_at", "id_tokens_issued"]
