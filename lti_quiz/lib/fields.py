"""The first step of validating a service's input: which fields there are, and their values.

Errors are what the API answers per field (`{"field": ["message", ...]}`).
"""

from collections.abc import Collection, Mapping
from typing import Any

Errors = dict[str, list[str]]


def fields_merge(
    data: Mapping[str, Any],
    *,
    fields: Collection[str],
    current: Mapping[str, Any] | None,
    defaults: Mapping[str, Any],
    required: Collection[str],
) -> tuple[dict[str, Any], Errors]:
    """The values to check, and the errors of unknown and missing fields.

    `current`: the stored values when `data` updates some of them (nothing is required then);
    None when `data` makes a new row, its missing fields taken from `defaults`.
    """
    errors: Errors = {str(name): ["Unknown field."] for name in data if name not in fields}
    if current is not None:
        return {**current, **data}, errors
    for name in required:
        if name not in data:
            errors.setdefault(name, []).append("This field is required.")
    return {**defaults, **data}, errors
