"""Images, audio and video that question texts show, stored through Django's storage API.

Content-addressed: a file's URL is /media/q/<sha256>/<name>, so it never changes and can be
cached for a year. The default storage is the filesystem under MEDIA_ROOT; any S3-compatible
store works by setting STORAGES["default"] (docs/rich-content.md). No state is kept in a
process: every app process serves every file.
"""

from django.db import models

from lti_quiz.quiz.models.bank import QuestionBank

# Extension -> content type. No script-capable type (SVG, HTML) is accepted.
MEDIA_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "wav": "audio/wav",
    "mp4": "video/mp4",
    "webm": "video/webm",
}


class MediaFile(models.Model):
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="media")
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="q/", max_length=300)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "sha256", "filename"], name="quiz_mediafile_unique"
            )
        ]
        indexes = [models.Index(fields=["sha256", "filename"])]

    def __str__(self) -> str:
        return self.url

    @property
    def url(self) -> str:
        return f"/media/q/{self.sha256}/{self.filename}"
