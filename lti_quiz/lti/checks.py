"""System checks for settings that break LTI launches without an error of their own."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches)
def check_shared_cache(app_configs, **kwargs) -> list:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"The default cache is {backend.rsplit('.', 1)[-1]}: OIDC state, nonces and launches "
            "stored by one process are invisible to the others, so launches fail at random.",
            hint="Use the database cache or Redis (set REDIS_URL).",
            id="lti.W001",
        )
    ]


@register(Tags.security)
def check_session_cookie_samesite(app_configs, **kwargs) -> list:
    errors = []
    if settings.SESSION_COOKIE_SAMESITE is None:
        errors.append(
            Error(
                "SESSION_COOKIE_SAMESITE is Python None: the cookie gets no SameSite attribute, "
                "browsers treat it as Lax and drop it in the LMS iframe, breaking launches.",
                hint='Use the string "None" (with HTTPS) or "Lax".',
                id="lti.E001",
            )
        )
    elif settings.SESSION_COOKIE_SAMESITE == "None" and not settings.SESSION_COOKIE_SECURE:
        errors.append(
            Warning(
                'SESSION_COOKIE_SAMESITE is "None" but SESSION_COOKIE_SECURE is off: browsers '
                "reject SameSite=None cookies that are not Secure.",
                hint="Serve over HTTPS and set SESSION_COOKIE_SECURE = True.",
                id="lti.W002",
            )
        )
    return errors
