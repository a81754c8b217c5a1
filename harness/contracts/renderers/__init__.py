"""Report formats for a list of changes: pure functions ``(changes, old, new, expand) -> str``.

Each groups the changes by cause (harness/contracts/grouping.py); ``expand`` lists every
place a finding reaches instead of the first and a count.

Every renderer is deterministic: the same changes give byte-identical output.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from harness.contracts.model import Change
from harness.contracts.renderers.github import render_github
from harness.contracts.renderers.json_report import render_json
from harness.contracts.renderers.junit import render_junit
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
