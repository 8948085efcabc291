"""What we know of each LMS family's gradebook, read from their code (docs/platforms.md).

The LTI claim `tool_platform.product_family_code` and dynamic registration's
`product_family_code` name the family ("moodle", "canvas"); a registration keeps it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext


@dataclass(frozen=True)
class PlatformFamily:
    code: str
    name: str  # "" when we do not know this LMS: the pages then say "your course gradebook"
    # Whether its gradebook keeps the scoreGiven of a score sent with gradingProgress
    # PendingManual; None when we do not know.
    keeps_pending_scores: bool | None

    @property
    def gradebook(self) -> str:
        if self.name:
            return gettext("%(lms)s's gradebook") % {"lms": self.name}
        return gettext("your course gradebook")


KNOWN = {
    # Moodle 4.x keeps scoreGiven only when gradingProgress is FullyGraded
    # (mod/lti/service/gradebookservices/classes/local/resources/scores.php).
    "moodle": PlatformFamily("moodle", "Moodle", keeps_pending_scores=False),
    # Canvas keeps a PendingManual score and marks the submission "needs grading".
    "canvas": PlatformFamily("canvas", "Canvas", keeps_pending_scores=True),
}


def platform_family(code: str) -> PlatformFamily:
    code = (code or "").strip().lower()
    return KNOWN.get(code) or PlatformFamily(code, "", keeps_pending_scores=None)


def family_code_from_claim(claim: object) -> str:
    """product_family_code of a tool_platform claim (LTI 1.3 §5.4.2), "" when absent."""
    code = claim.get("product_family_code") if isinstance(claim, dict) else None
    return code.strip().lower()[:50] if isinstance(code, str) else ""
