"""Report formats for a list of changes: pure functions ``(changes, old, new, expand) -> str``.

Each groups the changes by cause (harness/contracts/grouping.py); ``expand`` lists every
place a finding reaches instead of the first and a count.

Every renderer is deterministic: the same changes give byte-identical output.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from harness.contracts.model import Change
from harness.contracts.renderers.github import render_github
from harness.contracts.renderers.json_report import dump, render_json, report_dict
from harness.contracts.renderers.junit import document as junit_document
from harness.contracts.renderers.junit import render_junit, suite
from harness.contracts.renderers.markdown import render_markdown
from harness.contracts.renderers.text import render_text

Renderer = Callable[[Sequence[Change], str, str, bool], str]

#: format name -> renderer
RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "junit": render_junit,
    "github": render_github,
}


def render_many(fmt: str, documents: Sequence[tuple[Sequence[Change], str, str]],
                expand: bool, base: str) -> str:
    """Several documents' reports as one (``--base``); JSON and JUnit stay one document."""
    if fmt == "json":
        return dump({"base": base,
                     "documents": [report_dict(c, old, new) for c, old, new in documents]})
    if fmt == "junit":
        suites = ET.Element("testsuites", {"name": f"contract diff against {base}"})
        suites.extend(suite(c, old, new, expand) for c, old, new in documents)
        return junit_document(suites)
    return ("\n" if fmt in ("text", "markdown") else "").join(
        RENDERERS[fmt](c, old, new, expand) for c, old, new in documents)
