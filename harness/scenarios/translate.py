"""The scenario library on another core: its version names and operationIds translated.

The library (``scenarios/``) names versions as the built-in core does (v1-v3) and fault targets
by the built-in operationIds (``createDrawdown``). A core model that runs the library declares
``library_versions`` (library version -> its own) and ``operation_names`` (built-in operationId
-> its own); :func:`to_core` rewrites one library scenario's data with them before it is checked,
the one place that does (docs/core-models-oracles.md, "The library on your core"):

- ``versions``, ``assumes`` and the keys of every ``byVersion``: mapped; versions the core does
  not map are left out (the scenario's expectations for them do not apply);
- ``given.serve`` and the version lists of events (``retire``, ``deprecate``): mapped, versions
  not mapped left out (the library serves v1 beside v2 where a core may have no v1); a list left
  empty makes the scenario :class:`NotForThisCore`, and so does a single version of an event
  (``upgrade.to``, ``rollback.to``, ``rolling-upgrade.from``) the core does not map: its story
  needs that version;
- a fault's ``match.operation``: mapped.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from fake_core_bank import lending
from fake_core_bank.cores import CoreModel
from fake_core_bank.errors import InputError
from harness.scenarios.vocabulary import EVENTS


class NotForThisCore(InputError):  # noqa: N818 -- a verdict on a scenario, not a failure
    """A library scenario that does not apply to the active core (a version it does not map)."""


def to_core(data: Any, model: CoreModel, where: str) -> Any:
    """``data`` (one library scenario) in ``model``'s names; the same object when the core names
    versions and operations as the library does. Raises :class:`NotForThisCore`, also when the
    scenario's story needs a change of versions the core's evolution rules exclude."""
    if isinstance(data, dict):
        _evolution(data, model, where)
    if not model.translates_library or not isinstance(data, dict):
        return data
    out = copy.deepcopy(data)
    run_at = _kept(out.get("versions"), model)
    if isinstance(out.get("versions"), list) and not run_at:
        raise NotForThisCore(where, f"scenario {data.get('id')} runs at "
                             f"{', '.join(map(str, data['versions']))}, none of which core "
                             f"{model.name} maps", _fix(model))
    if run_at:
        out["versions"] = run_at
    if isinstance(out.get("assumes"), list):
        assumes = _kept(out["assumes"], model)
        if not assumes:
            raise NotForThisCore(where, f"scenario {data.get('id')} assumes connectors speaking "
                                 f"{', '.join(map(str, data['assumes']))}, which core "
                                 f"{model.name} does not map", _fix(model))
        out["assumes"] = assumes
    given = out.get("given")
    if isinstance(given, dict) and isinstance(given.get("serve"), list):
        given["serve"] = _some(given["serve"], model, where)
    _by_version(out.get("expect"), model)
    for step in out.get("timeline") or []:
        if isinstance(step, dict):
            _step(step, model, where)
    return out


def _evolution(data: dict[str, Any], model: CoreModel, where: str) -> None:
    """NotForThisCore when a step needs what ``model.evolution`` excludes: an upgrade in place,
    retiring a version, a rollback (a core that cannot do it has no such failure to meet)."""
    rules = model.evolution
    for step in data.get("timeline") or []:
        if not isinstance(step, dict):
            continue
        event = step.get("event")
        needs = (("upgrade in place", event == "upgrade" and step.get("inPlace") is True
                  and not rules.in_place),
                 ("retire a version", event == "upgrade" and bool(step.get("retire"))
                  and not rules.retire),
                 ("roll back", event == "rollback" and not rules.rollback))
        for what, excluded in needs:
            if excluded:
                raise NotForThisCore(where, f"scenario {data.get('id')} needs the core to "
                                     f"{what}, which core {model.name} does not (its "
                                     "CoreModel.evolution)", "run it on a core that can")


def _step(step: dict[str, Any], model: CoreModel, where: str) -> None:
    fields: Mapping[str, str] = EVENTS.get(str(step.get("event")), {})
    for name, kind in fields.items():
        if name not in step:
            continue
        if kind == "version":
            step[name] = _needed(step[name], model, where)
        elif kind == "version-list" and isinstance(step[name], list):
            step[name] = _some(step[name], model, where)
    match = step.get("match")
    if step.get("event") == "fault" and isinstance(match, dict) and "operation" in match:
        match["operation"] = operation_on(model, str(match["operation"]))
    _by_version(step.get("expect"), model)


def operation_on(model: CoreModel, operation_id: str) -> str:
    """The core's operationId for one the library names (the built-in core's): its
    ``operation_names`` entry, else the operationId that performs the same scenario operation
    (``CoreModel.operations`` of both cores), else the name itself."""
    if operation_id in model.operation_names:
        return model.operation_name(operation_id)
    action = lending.core.operation_of(operation_id)
    return model.operations.get(action, operation_id) if action else operation_id


def _by_version(expect: Any, model: CoreModel) -> None:
    if not isinstance(expect, dict) or not isinstance(expect.get("byVersion"), dict):
        return
    kept = {model.library_version(str(k)): v for k, v in expect["byVersion"].items()}
    kept.pop(None, None)
    if kept:
        expect["byVersion"] = kept
    else:
        del expect["byVersion"]


def _kept(versions: Any, model: CoreModel) -> list[str]:
    if not isinstance(versions, list):
        return []
    mapped = (model.library_version(str(v)) for v in versions)
    return [v for v in mapped if v is not None]


def _some(versions: list[Any], model: CoreModel, where: str) -> list[str]:
    """The mapped ones of ``versions``; NotForThisCore when none is."""
    kept = _kept(versions, model)
    if versions and not kept:
        raise NotForThisCore(where, f"the scenario needs {' or '.join(map(str, versions))}, "
                             f"which core {model.name} does not map", _fix(model))
    return kept


def _needed(version: Any, model: CoreModel, where: str) -> Any:
    mapped = model.library_version(str(version))
    if mapped is None:
        raise NotForThisCore(where, f"the scenario needs version {version}, which core "
                             f"{model.name} does not map", _fix(model))
    return mapped


def _fix(model: CoreModel) -> str:
    return (f"run it on a core that has that version, or map it in {model.name}'s "
            "library_versions")
