"""Is a document an OpenAPI document at all? Checked against the specification's own schema
(openapi-spec-validator's meta-schemas for Swagger 2.0, OpenAPI 3.0 and 3.1) before anything
compares or verifies it, so ``drawbridge diff`` never reports "no changes" between documents
one of which is not OpenAPI.

Only the structure is checked: semantic rules (a duplicate parameter, an unresolved operation
link) are left alone, because published third-party specs break them and still deserve a diff.
"""

from __future__ import annotations

from typing import Any


def structure_problem(document: Any, version: str) -> tuple[str, str] | None:
    """The first place ``document`` breaks the schema of its OpenAPI ``version`` (the document
    before ``$ref`` resolution), as a JSON pointer and a one-line message; None when it holds."""
    from openapi_spec_validator import (
        OpenAPIV2SpecValidator,
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
    )

    validator_class = (OpenAPIV2SpecValidator if version == "2.0"
                       else OpenAPIV30SpecValidator if version.startswith("3.0")
                       else OpenAPIV31SpecValidator)
    errors = list(validator_class(document).schema_validator.iter_errors(document))
    if not errors:
        return None
    # The deepest error names the precise place; ties: the first in document order.
    error = max(errors, key=lambda e: len(e.absolute_path))
    while error.context:  # oneOf/anyOf: the branch that got furthest says what is wrong
        error = max(error.context, key=lambda e: len(e.absolute_path))
    pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1")
                      for p in error.absolute_path)  # a JSON pointer: /paths/~1items/get
    kind = "Swagger 2.0" if version == "2.0" else f"OpenAPI {version}"
    return pointer or "/", f"not a valid {kind} document: {_short(error.message)}"


#: the fix a structural problem names
STRUCTURE_FIX = "fix the document (any OpenAPI validator shows the same error)"


def _short(message: str, limit: int = 160) -> str:
    """The validator's first sentence: it appends the schema and the instance after it."""
    message = message.split(" Failed validating ", 1)[0].split("\n", 1)[0]
    return message if len(message) <= limit else message[:limit] + "..."
