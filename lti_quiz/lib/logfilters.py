"""Logging filters named in settings.LOGGING."""

import logging


class RefusedRequestFilter(logging.Filter):
    """A request Django refused for its size (RequestDataTooBig and kin) is the client's doing:
    one WARNING line, without the traceback Django attaches at ERROR."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True
