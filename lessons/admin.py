from django.contrib import admin

from lessons.models import Lesson


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    """Lessons come from files (`manage.py load_content`): edits here are overwritten on load."""

    list_display = ["title", "slug", "meta", "updated_at"]
    search_fields = ["title", "slug"]
