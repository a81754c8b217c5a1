"""``drawbridge init connector``: a connector project to start from, passing the v2 profile as
generated.

The connector itself is the reference connector (examples/connectors/, packaged into wheels as
``harness/_data/examples``), renamed: one implementation of the correct behaviour, never a
second copy to drift. Around it, jinja2 templates (``templates/``) write a README of what to
change, a pytest file using the plugin's fixtures and a GitHub workflow that certifies the
connector and gates the release on ``drawbridge can-release``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from fake_core_bank.errors import InputError
from harness.paths import examples_root

LANGUAGES = ("python", "node")
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
#: what the reference connectors call themselves, replaced by the new connector's identity
REFERENCE = {"python": ("ReferenceConnector", "reference-python"),
             "node": ("", "reference-node")}


@dataclass(frozen=True)
class Project:
    """The names a generated project uses, all derived from ``name`` (``acme-erp``)."""

    name: str  # acme-erp: the identity the connector reports
    language: str

    @property
    def package(self) -> str:  # acme_erp
        return self.name.replace("-", "_")

    @property
    def class_name(self) -> str:  # AcmeErpConnector
        return "".join(part.capitalize() for part in self.name.split("-")) + "Connector"

    @property
    def spec(self) -> str:
        """The ``--connector`` value, run from the project's root."""
        if self.language == "python":
            return f"python:{self.package}.connector:{self.class_name}"
        return "command:node connector.js"


def write_connector(directory: Path, language: str, name: str | None = None,
                    ) -> tuple[Project, list[Path]]:
    """Write the project into ``directory`` (created; it must not hold any of the files)."""
    if language not in LANGUAGES:
        raise InputError.for_unknown_name("--language", "language", language, LANGUAGES)
    name = name or re.sub(r"[^a-z0-9]+", "-", directory.resolve().name.lower()).strip("-")
    if not NAME.match(name):
        raise InputError("--name", f"{name!r} is not a connector name",
                         "use lower-case words joined by '-', e.g. acme-erp")
    project = Project(name, language)
    files = _files(project)
    existing = [path for path in files if (directory / path).exists()]
    if existing:
        raise InputError(str(directory / existing[0]), "already exists",
                         "choose an empty or new directory; nothing was written")
    written = []
    for relative, text in files.items():
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return project, written


def _files(project: Project) -> dict[str, str]:
    # no autoescape: the templates are Python, YAML, JSON and Markdown files, not HTML
    env = Environment(loader=PackageLoader("harness.scaffold", "templates"),  # noqa: S701
                      undefined=StrictUndefined, keep_trailing_newline=True)

    def render(template: str) -> str:
        return env.get_template(template).render(p=project)

    files = {"README.md": render("README.md.j2"),
             "tests/test_connector.py": render(f"{project.language}/test_connector.py.j2"),
             ".github/workflows/drawbridge.yml": render("drawbridge.yml.j2")}
    if project.language == "python":
        files[f"{project.package}/__init__.py"] = render("python/__init__.py.j2")
        files["pyproject.toml"] = render("python/pyproject.toml.j2")
        files[f"{project.package}/connector.py"] = _renamed(
            examples_root() / "reference_py" / "connector.py", project)
    else:
        files["connector.js"] = _renamed(examples_root() / "node" / "connector.js", project)
        files["package.json"] = render("node/package.json.j2")
    return files


def _renamed(source: Path, project: Project) -> str:
    """The reference connector's source under the new project's names, version 0.1.0."""
    class_name, identity = REFERENCE[project.language]
    text = source.read_text(encoding="utf-8")
    if class_name:
        text = text.replace(class_name, project.class_name)
    text = text.replace(f"'{identity}', version: '1.0.0'", f"'{project.name}', version: '0.1.0'")
    return text.replace(f'"{identity}", "version": "1.0.0"',
                        f'"{project.name}", "version": "0.1.0"')
