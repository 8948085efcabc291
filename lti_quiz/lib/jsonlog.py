"""One JSON object per log line, for log collectors (LOG_FORMAT=json, what `make serve` uses).

Every line has time (UTC, ISO 8601 with milliseconds), level, logger, message and request_id,
and launch_request_id on a line of a page a launch opened (or of its grade delivery's send);
the fields passed with `extra=` are added as they are (made strings when JSON cannot hold them),
and an exception's traceback comes as `exception`.
"""

import datetime as dt
import json
import logging
from typing import Any

# What every LogRecord has: anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
_OWN = {"request_id", "launch_request_id"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        if launch_request_id := getattr(record, "launch_request_id", ""):
            entry["launch_request_id"] = launch_request_id
        for name, value in vars(record).items():
            if name not in _STANDARD and name not in _OWN and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
