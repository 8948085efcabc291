"""Text every supported database can store."""

UNSTORABLE = "Text may not contain NUL characters or unpaired surrogates."


def storable(text: str) -> bool:
    """Whether every database can store `text`: PostgreSQL refuses NUL, UTF-8 lone surrogates
    (which JSON's \\ud800 escapes can produce)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
