"""The sequence diagram of one run: its journal laid out as lanes, arrows, bands and markers.

This module only computes geometry (plain data); ``templates/sequence.svg.j2`` draws it as
inline SVG, so every piece of text passes through Jinja's autoescaping.

The vertical axis is the journal's order, not a linear clock: a scenario spans minutes to a
month of virtual time, and a linear scale would squash a burst of retries into one pixel. Each
row shows its virtual time in the left gutter (with the jump since the row before), and a
maintenance window is a shaded band over exactly the rows whose virtual time falls inside it.

    >>> diagram = layout(result_dict, prefix="x-demo")
    >>> [lane.label for lane in diagram.lanes]
    ['harness', 'connector', 'bank v2']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from harness.reporting.report_view import version_order

#: Version switches drawn as a labelled marker across the bank lanes.
SWITCHES = frozenset({"upgrade", "rollback", "serve", "rolling-upgrade", "complete-rollout"})
NODE_ORDER = {"fleet": 0, "old-node": 1, "new-node": 2}
#: Diagram rows beyond which the quiet middle of a journal is elided (the table keeps it all).
MAX_ROWS = 240
CONTEXT = 12  # rows kept either side of a highlighted entry when eliding

GUTTER = 168
HEAD = 56
LANE_GAP = {"harness": 0, "connector": 260, "bank": 340}
BANK_GAP = 180
RIGHT = 280
LABEL_CHARS = 58


@dataclass(frozen=True)
class Shape:
    """One SVG primitive; ``kind`` is line, rect, text or cross."""

    kind: str
    cls: str = ""
    x1: float = 0
    y1: float = 0
    x2: float = 0
    y2: float = 0
    text: str = ""
    title: str = ""
    anchor: str = "start"
    marker: str = ""  # arrowhead at (x2, y2): std, err or ctl


@dataclass(frozen=True)
class Lane:
    key: str
    label: str
    sublabel: str
    x: float


@dataclass
class RowGraphic:
    """One journal entry (or an elision) as a horizontal strip of the diagram."""

    seq: int | None
    y: float
    height: float
    cls: str
    title: str
    shapes: list[Shape] = field(default_factory=list)


@dataclass
class Diagram:
    prefix: str  # unique in the page: marker and row ids hang off it
    width: float
    height: float
    lanes: list[Lane]
    rows: list[RowGraphic]
    background: list[Shape]  # bands, activations, switch markers: drawn under the rows
    counts: dict[str, int]


@dataclass(frozen=True)
class Gap:
    """Journal entries left out of an excerpt."""

    count: int
    first: int
    last: int


def excerpt(entries: list[dict[str, Any]], focus: Iterable[int],
            limit: int = MAX_ROWS) -> list[dict[str, Any] | Gap]:
    """The entries themselves when few; else the start, the end and the context of ``focus``."""
    if len(entries) <= limit:
        return list(entries)
    focus_set = set(focus)
    keep = set(range(CONTEXT)) | set(range(len(entries) - CONTEXT, len(entries)))
    for index, entry in enumerate(entries):
        if entry.get("seq") in focus_set:
            keep |= set(range(index - CONTEXT, index + CONTEXT + 1))
    out: list[dict[str, Any] | Gap] = []
    skipped: list[dict[str, Any]] = []
    for index, entry in enumerate(entries):
        if index in keep:
            if skipped:
                out.append(Gap(len(skipped), skipped[0]["seq"], skipped[-1]["seq"]))
                skipped = []
            out.append(entry)
        else:
            skipped.append(entry)
    if skipped:
        out.append(Gap(len(skipped), skipped[0]["seq"], skipped[-1]["seq"]))
    return out


def layout(result: dict[str, Any], *, prefix: str) -> Diagram:
    """The diagram of one result dict (``RunResult.to_dict()``)."""
    journal = [e for e in result.get("journal") or [] if isinstance(e, dict)]
    focus = {n for f in result.get("findings") or [] for n in f.get("journal") or []}
    # clock-set entries only move time; the gutter already shows every row's time.
    drawn = [e for e in journal if e.get("note") != "clock-set" or e.get("seq") in focus]
    lanes = _lanes(drawn)
    x = {lane.key: lane.x for lane in lanes}
    bank_default = next(lane.key for lane in lanes if lane.key.startswith("bank"))
    outcomes = {o.get("step"): o.get("outcome") or {} for o in result.get("operations") or []}
    width = lanes[-1].x + RIGHT

    rows: list[RowGraphic] = []
    y: float = HEAD + 8
    previous: datetime | None = None
    for item in excerpt(drawn, focus):
        if isinstance(item, Gap):
            row = RowGraphic(None, y, 26, "gap", f"journal #{item.first}-#{item.last}")
            row.shapes.append(Shape("text", "gap-label", x1=width / 2, y1=y + 17, anchor="middle",
                                    text=f"... {item.count} entries not drawn "
                                         f"(#{item.first}-#{item.last}, see the table) ..."))
            rows.append(row)
            y += row.height
            continue
        at = _parse_time(item.get("at"))
        row = _row(item, y, x, bank_default, outcomes, focus, width - 8)
        row.shapes += _gutter(item, y, at, previous)
        previous = at or previous
        rows.append(row)
        y += row.height
    height = y + 16
    background = _bands(journal, rows, drawn, width, height)
    background += _activations(rows, drawn, x["connector"], height)
    background += [Shape("line", "lifeline", lane.x, HEAD, lane.x, height) for lane in lanes]
    counts = {
        "exchanges": sum(e.get("kind") == "exchange" for e in drawn),
        "highlighted": sum(r.seq in focus for r in rows),
        "bands": sum(s.cls.startswith("band") for s in background if s.kind == "rect"),
    }
    return Diagram(prefix, width, height, lanes, rows, background, counts)


def _lanes(entries: list[dict[str, Any]]) -> list[Lane]:
    nodes = sorted({(str(e.get("version") or "?"), str(e.get("served_by") or "fleet"))
                    for e in entries if e.get("kind") == "exchange"},
                   key=lambda vn: (version_order(vn[0]), NODE_ORDER.get(vn[1], 9), vn[1]))
    harness_x = GUTTER + 40
    connector_x = harness_x + LANE_GAP["connector"]
    lanes = [Lane("harness", "harness", "timeline events", harness_x),
             Lane("connector", "connector", "under test", connector_x)]
    bank_x = connector_x + LANE_GAP["bank"]
    if not nodes:
        return [*lanes, Lane("bank", "bank", "", bank_x)]
    for n, (version, node) in enumerate(nodes):
        lanes.append(Lane(_bank_key(version, node), f"bank {version}", node.replace("-", " "),
                          bank_x + n * BANK_GAP))
    return lanes


def _bank_key(version: Any, node: Any) -> str:
    return f"bank:{version or '?'}:{node or 'fleet'}"


def _row(entry: dict[str, Any], y: float, x: dict[str, float], bank_default: str,
         outcomes: dict[Any, dict[str, Any]], focus: set[int], right: float) -> RowGraphic:
    seq = entry.get("seq")
    note = str(entry.get("note") or "")
    cls = ["entry", str(entry.get("kind") or "")]
    if seq in focus:
        cls.append("hl")
    if entry.get("kind") == "exchange":
        return _exchange(entry, y, x, cls)
    body = entry.get("request_body")
    harness, connector, bank = x["harness"], x["connector"], x[bank_default]
    if note == "operation-begin":
        step = _step(entry)
        row = RowGraphic(seq, y, 28, " ".join([*cls, "op-begin"]), f"#{seq} begin {step}")
        row.shapes += _arrow(harness, connector, y + 18, "call", f"\u25b6 {step}")
        return row
    if note == "operation-end":
        step = _step(entry)
        text = _outcome_text(outcomes.get(step, {}))
        row = RowGraphic(seq, y, 28, " ".join([*cls, "op-end"]), f"#{seq} end {step}: {text}")
        row.shapes += _arrow(connector, harness, y + 18, "return", f"\u25c0 {step}: {text}")
        return row
    if note in SWITCHES:
        text = _switch_text(note, body)
        row = RowGraphic(seq, y, 30, " ".join([*cls, "switch"]), f"#{seq} {text}")
        row.shapes.append(Shape("line", "switch-line", harness, y + 15, right, y + 15))
        row.shapes.append(Shape("text", "switch-label", bank + 8, y + 11, text=_clip(text),
                                title=text))
        return row
    text = _control_text(note, body)
    row = RowGraphic(seq, y, 28, " ".join([*cls, f"note-{_css(note)}"]), f"#{seq} {text}")
    row.shapes += _arrow(harness, bank, y + 18, "control", text)
    return row


def _exchange(entry: dict[str, Any], y: float, x: dict[str, float],
              cls: list[str]) -> RowGraphic:
    seq = entry.get("seq")
    connector = x["connector"]
    bank = x[_bank_key(entry.get("version"), entry.get("served_by"))]
    request = f"{entry.get('method') or '?'} {entry.get('path') or ''}"
    if entry.get("query"):
        request += f"?{entry['query']}"
    status, fault = entry.get("status"), entry.get("fault")
    dropped = status is None
    answer = _answer_text(entry)
    if fault:
        cls.append("faulted")
    if dropped:
        cls.append("dropped")
    row = RowGraphic(seq, y, 60 if dropped else 48, " ".join(cls),
                     f"#{seq} {request} -> {answer}")
    row.shapes += _arrow(connector, bank, y + 18, "request", request)
    if entry.get("request_violations"):
        row.shapes.append(Shape("text", "violation", connector + 8, y + 30,
                                text=f"request breaks the contract "
                                     f"({len(entry['request_violations'])})"))
    if dropped:
        # The answer never reaches the connector: the arrow stops short, cut by a cross.
        mid = (connector + bank) / 2
        row.shapes.append(Shape("line", "arrow response broken", bank, y + 40, mid + 10, y + 40))
        row.shapes.append(Shape("cross", "cut", mid, y + 40))
        row.shapes.append(Shape("text", "label response-label fault", connector + 8, y + 55,
                                text=_clip(answer), title=answer))
    else:
        kind = "response error" if int(str(status)) >= 400 else "response"
        row.shapes += _arrow(bank, connector, y + 40, kind, answer,
                             extra=" fault" if fault else "")
    bookings = entry.get("bookings") or []
    if bookings:
        row.shapes.append(Shape("text", "booking", bank + 8, y + 22,
                                text=_clip("booked " + ", ".join(map(str, bookings)), 34)))
    return row


def _arrow(x1: float, x2: float, y: float, kind: str, label: str,
           extra: str = "") -> list[Shape]:
    left = min(x1, x2)
    marker = "err" if "error" in kind or extra else "ctl" if kind == "control" else "std"
    return [Shape("line", f"arrow {kind}{extra}", x1, y, x2, y, marker=marker),
            Shape("text", f"label {kind}-label{extra}", left + 8, y - 4, text=_clip(label),
                  title=label)]


def _gutter(entry: dict[str, Any], y: float, at: datetime | None,
            previous: datetime | None) -> list[Shape]:
    shapes = [Shape("text", "seq", GUTTER - 10, y + 18, anchor="end",
                    text=f"#{entry.get('seq')}")]
    if at is None or at == previous:
        return shapes
    fmt = "%H:%M:%S" if previous is not None and previous.date() == at.date() else \
        "%Y-%m-%d %H:%M"
    shapes.append(Shape("text", "time", 8, y + 14, text=at.strftime(fmt),
                        title=str(entry.get("at"))))
    if previous is not None and at > previous:
        shapes.append(Shape("text", "time-gap", 8, y + 25, text=f"+{_span(at - previous)}"))
    shapes.append(Shape("line", "time-tick", 0, y, GUTTER - 4, y))
    return shapes


def _bands(journal: list[dict[str, Any]], rows: list[RowGraphic],
           drawn: list[dict[str, Any]], width: float, height: float) -> list[Shape]:
    """Maintenance windows: shaded over the rows whose virtual time lies inside them."""
    times = {e.get("seq"): _parse_time(e.get("at")) for e in drawn}
    placed = [(times.get(r.seq), r) for r in rows if r.seq is not None]
    shapes: list[Shape] = []
    for entry in journal:
        if entry.get("note") != "maintenance" or not isinstance(entry.get("request_body"), dict):
            continue
        body = entry["request_body"]
        start, end = _parse_time(body.get("start")), _parse_time(body.get("end"))
        if start is None or end is None:
            continue
        top = next((r.y for t, r in placed if t is not None and t >= start), height - 16)
        bottom = next((r.y for t, r in placed if t is not None and t >= end), height - 16)
        mode = str(body.get("mode") or "")
        label = (f"maintenance {mode} {start:%H:%M}-{end:%H:%M}"
                 f"{' (' + str(body['id']) + ')' if body.get('id') else ''}")
        if bottom - top < 8:  # no row inside the window: still show where it lies
            label += " - nothing journaled inside"
            bottom = top + 8
        mode_cls = "read-only" if "READ" in mode.upper() else "full"
        shapes.append(Shape("rect", f"band maintenance {mode_cls}", GUTTER, top, width - 8,
                            bottom, title=f"{label} ({body.get('start')} to {body.get('end')})"))
        shapes.append(Shape("text", "band-label", width - 12, top + 13, anchor="end",
                            text=label))
    return shapes


def _activations(rows: list[RowGraphic], drawn: list[dict[str, Any]], connector_x: float,
                 height: float) -> list[Shape]:
    """Operation brackets: a bar on the connector lane from operation-begin to operation-end."""
    notes = {e.get("seq"): e for e in drawn}
    shapes: list[Shape] = []
    open_ops: dict[str, float] = {}
    for row in rows:
        entry = notes.get(row.seq)
        if entry is None:
            continue
        if entry.get("note") == "operation-begin":
            open_ops[_step(entry)] = row.y + 18
        elif entry.get("note") == "operation-end" and _step(entry) in open_ops:
            step = _step(entry)
            shapes.append(Shape("rect", "activation", connector_x - 5, open_ops.pop(step),
                                connector_x + 5, row.y + 18, title=f"operation {step}"))
    for step, top in sorted(open_ops.items()):  # an operation the run never ended
        shapes.append(Shape("rect", "activation unfinished", connector_x - 5, top,
                            connector_x + 5, height - 16, title=f"operation {step} (no end)"))
    return shapes


def _answer_text(entry: dict[str, Any]) -> str:
    status, fault = entry.get("status"), entry.get("fault")
    if status is None:
        return f"connection dropped{f' (fault {fault})' if fault else ''}"
    parts = [str(status)]
    if entry.get("reason"):
        parts.append(str(entry["reason"]))
    headers = entry.get("response_headers") or {}
    if "retry-after" in headers:
        parts.append(f"Retry-After {headers['retry-after']}")
    if entry.get("response_violations"):
        parts.append("response breaks the contract")
    if fault:
        parts.append(f"fault {fault}")
    return " \u00b7 ".join(parts)


def _outcome_text(outcome: dict[str, Any]) -> str:
    if not outcome:
        return "no outcome"
    words = [str(outcome.get("outcome", "?"))]
    for key in ("reason", "drawdownId"):
        if outcome.get(key):
            words.append(str(outcome[key]))
    return " ".join(words)


def _switch_text(note: str, body: Any) -> str:
    body = body if isinstance(body, dict) else {}
    if note == "rolling-upgrade":
        share = body.get("share")
        share_text = f", {share:.0%} on new nodes" if isinstance(share, int | float) else ""
        return f"rolling upgrade {body.get('from', '?')} \u2192 {body.get('to', '?')}{share_text}"
    if note == "complete-rollout":
        return "rollout complete: every node new"
    text = f"{note} \u2192 {body.get('to', '?')}" if body.get("to") else note
    if body.get("retire"):
        text += f", retire {', '.join(map(str, body['retire']))}"
    return text


def _control_text(note: str, body: Any) -> str:
    if note == "maintenance" and isinstance(body, dict):
        return f"schedule maintenance {body.get('mode', '')} {_hm(body.get('start'))}-" \
               f"{_hm(body.get('end'))}"
    if note == "fault" and isinstance(body, dict):
        return f"arm fault {body.get('kind')} x{body.get('times')} on " \
               f"{body.get('operationId') or 'any operation'}"
    if not isinstance(body, dict) or not body:
        return note
    pairs = ", ".join(f"{k}={_compact(v)}" for k, v in body.items() if v not in (None, [], {}))
    return f"{note}: {pairs}" if pairs else note


def _compact(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ",".join(map(str, value)) + "]"
    return str(value)


def _step(entry: dict[str, Any]) -> str:
    body = entry.get("request_body")
    if isinstance(body, dict) and body.get("name"):
        return str(body["name"])
    return str(entry.get("operation") or "?")


def _hm(value: Any) -> str:
    at = _parse_time(value)
    return at.strftime("%H:%M") if at else str(value)


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _span(delta: Any) -> str:
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "",
             f"{minutes}m" if minutes and not days else "", f"{secs}s" if secs and not
             (days or hours) else ""]
    return " ".join(p for p in parts if p) or "0s"


def _clip(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _css(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in text)
