"""The drawn result laid out in pages that fit the screen at a legible size: first the drawn
targets, one card per stratum in label order and rank order; then one card per inspection
group; then the unassigned targets. Each card or entry is a "unit" the window reveals in turn.

Layout is measured, not guessed: cards are built with their real fonts, a card taller than a
column is split (its title marked 续), cards fill columns top to bottom, and columns fill a
page left to right; what does not fit starts the next page."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.ui.draws.projector.ceremony import CeremonyView, DrawnItem, GroupView, StratumView
from desktop.ui.draws.projector.phases import card
from desktop.ui.draws.projector.style import (
    ACCENT,
    BAD,
    CODE,
    MUTED,
    Role,
    apply_fonts,
    label,
)

Cell = tuple[str, Role, str]  # text, role, colour


@dataclass
class Entry:
    """One line of a card: a tag (rank, stratum, department), the main text, an optional
    second line (a code); ``code`` is set on drawn-target entries."""

    tag: Cell
    main: Cell
    below: Cell | None = None
    code: str = ""
    new_block: bool = False  # starts its own grid (its tag column sized on its own)


@dataclass
class CardSpec:
    title: Cell
    subtitle: Cell | None
    entries: list[Entry]
    reveal_by_entry: bool  # targets appear one by one; a group card appears whole
    border: str = ""
    kind: str = "targets"


@dataclass
class BuiltCard:
    frame: QFrame
    units: list[list[QWidget]]
    codes: list[QLabel] = field(default_factory=list)


@dataclass
class ResultPages:
    pages: list[QWidget]
    units: list[tuple[int, list[QWidget]]]  # (page index, widgets revealed together)
    code_labels: list[QLabel]  # drawn-target code labels, in display order
    group_pages: int = 0  # index of the first page of groups (== len(pages) if none)


def target_cards(view: CeremonyView) -> list[CardSpec]:
    return [_stratum_card(s) for s in view.strata if s.drawn]


def group_cards(view: CeremonyView) -> list[CardSpec]:
    cards = [_group_card(g) for g in view.groups]
    if view.unassigned:
        cards.append(
            CardSpec(
                title=("未分配的检查对象", Role.HEADING, BAD),
                subtitle=("各组均有回避关系，另行记录处理", Role.SMALL, MUTED),
                entries=[_short_entry(item) for item in view.unassigned],
                reveal_by_entry=False,
                border=BAD,
                kind="unassigned",
            )
        )
    return cards


def _stratum_card(stratum: StratumView) -> CardSpec:
    n = len(stratum.drawn)
    return CardSpec(
        title=(f"{stratum.label} 层", Role.HEADING, ACCENT),
        subtitle=(f"库内 {stratum.pool_size} 家，抽中 {n} 家", Role.SMALL, MUTED),
        entries=[_target_entry(item) for item in stratum.drawn],
        reveal_by_entry=True,
    )


def _target_entry(item: DrawnItem) -> Entry:
    if item.name:
        return Entry(
            tag=(str(item.rank), Role.RANK, ACCENT),
            main=(item.name, Role.NAME, "#ffffff"),
            below=(item.code, Role.CODE, CODE),
            code=item.code,
        )
    return Entry((str(item.rank), Role.RANK, ACCENT), (item.code, Role.CODE, CODE), code=item.code)


def _short_entry(item: DrawnItem) -> Entry:
    tag = f"{item.stratum}层" if item.stratum else ""
    return Entry(
        tag=(tag, Role.SMALL, MUTED),
        main=(item.name or item.code, Role.BODY if item.name else Role.CODE, "#ffffff"),
    )


def _group_card(group: GroupView) -> CardSpec:
    leader = group.leader.name if group.leader else "（未定）"
    entries: list[Entry] = []
    for dept in dict.fromkeys(m.dept for m in group.members):
        people = [m for m in group.members if m.dept == dept]
        names = "、".join(m.name + ("（组长）" if m.is_leader else "") for m in people)
        entries.append(
            Entry((people[0].dept_name, Role.BODY, MUTED), (names, Role.NAME, "#ffffff"))
        )
    if group.targets:
        count = (f"检查对象 {len(group.targets)} 家", Role.SMALL, MUTED)
        entries.append(Entry(("", Role.SMALL, MUTED), count, new_block=True))
        entries += [_short_entry(item) for item in group.targets]
    return CardSpec(
        title=(f"第 {group.number} 组", Role.HEADING, ACCENT),
        subtitle=(f"组长：{leader}", Role.BODY, "#ffffff"),
        entries=entries,
        reveal_by_entry=False,
        kind="group",
    )


def build_card(spec: CardSpec, unit: float, continued: bool = False) -> BuiltCard:
    frame, box = card(unit, spec.border) if spec.border else card(unit)
    frame.setProperty("kind", spec.kind)
    head = QHBoxLayout()
    head.setSpacing(round(unit * 0.02))
    text, role, color = spec.title
    head.addWidget(label(text + ("（续）" if continued else ""), role, color))
    if spec.subtitle:
        head.addWidget(label(*spec.subtitle), 0, Qt.AlignmentFlag.AlignBaseline)
    head.addStretch(1)
    box.addLayout(head)
    grid = _grid(unit)
    built = BuiltCard(frame, [])
    row = 0
    for entry in spec.entries:
        if entry.new_block and row:
            box.addLayout(grid)
            grid, row = _grid(unit), 0
        tag, main = label(*entry.tag), label(*entry.main)
        span = 2 if entry.below else 1
        align = Qt.AlignmentFlag.AlignTop if span == 2 else Qt.AlignmentFlag.AlignVCenter
        grid.addWidget(tag, row, 0, span, 1, Qt.AlignmentFlag.AlignRight | align)
        grid.addWidget(main, row, 1)
        widgets: list[QWidget] = [tag, main]
        if entry.below:
            below = label(*entry.below)
            grid.addWidget(below, row + 1, 1)
            widgets.append(below)
        if entry.code:
            code_label = widgets[-1]
            assert isinstance(code_label, QLabel)
            code_label.setObjectName("target-code")
            code_label.setProperty("code", entry.code)
            built.codes.append(code_label)
        built.units.append(widgets)
        row += span
    box.addLayout(grid)
    if not spec.reveal_by_entry:
        built.units = [[frame]]
    apply_fonts(frame, unit)
    return built


def _grid(unit: float) -> QGridLayout:
    grid = QGridLayout()
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(round(unit * 0.02))
    grid.setVerticalSpacing(round(unit * 0.004))
    grid.setColumnStretch(1, 1)
    return grid


def _split(spec: CardSpec, unit: float, height: int) -> list[BuiltCard]:
    """The card, or its pieces when it is taller than ``height``."""
    whole = build_card(spec, unit)
    total = whole.frame.sizeHint().height()
    if total <= height or len(spec.entries) <= 1:
        return [whole]
    empty = build_card(CardSpec(spec.title, spec.subtitle, [], spec.reveal_by_entry), unit)
    chrome = empty.frame.sizeHint().height()
    per_entry = (total - chrome) / len(spec.entries)

    def part(start: int, count: int) -> CardSpec:
        entries = spec.entries[start : start + count]
        return CardSpec(
            spec.title, spec.subtitle, entries, spec.reveal_by_entry, spec.border, spec.kind
        )

    # As many entries as the column takes, measured (not a spare one left out: the wall's
    # height is the room's to read, issue 21), then spread evenly over the pieces.
    fits = max(1, int((height - chrome) // per_entry))
    while (
        fits > 1
        and build_card(part(0, fits), unit, continued=True).frame.sizeHint().height() > height
    ):
        fits -= 1
    pieces_needed = -(-len(spec.entries) // fits)
    fits = -(-len(spec.entries) // pieces_needed)
    return [
        build_card(part(start, fits), unit, continued=start > 0)
        for start in range(0, len(spec.entries), fits)
    ]


def build_result_pages(view: CeremonyView, unit: float, area: QSize) -> ResultPages:
    """Pages for ``view`` that each fit ``area`` (the room the window leaves for a page)."""
    result = ResultPages([], [], [])
    sections = [
        ("抽中的检查对象（按分层、按名次）", target_cards(view)),
        ("检查组与分配的检查对象", group_cards(view)),
    ]
    for index, (heading, specs) in enumerate(sections):
        if index == 1:
            result.group_pages = len(result.pages)
        if not specs:
            continue
        title = label(heading, Role.HEADING)
        apply_fonts(title, unit)
        spacing = round(unit * 0.02)
        column_height = area.height() - title.sizeHint().height() - spacing
        cards = [piece for spec in specs for piece in _split(spec, unit, column_height)]
        for columns in _paginate(cards, column_height, area.width(), spacing):
            _add_page(result, heading, unit, columns, spacing)
    if not result.pages:
        empty = QWidget()
        QVBoxLayout(empty).addWidget(label("本次抽取没有结果可显示", Role.HEADING, MUTED))
        apply_fonts(empty, unit)
        result.pages.append(empty)
    return result


def _paginate(
    cards: list[BuiltCard], column_height: int, width: int, spacing: int
) -> list[list[list[BuiltCard]]]:
    columns: list[list[BuiltCard]] = []
    used = column_height + 1
    for built in cards:
        h = built.frame.sizeHint().height()
        if used + spacing + h > column_height:
            columns.append([])
            used = -spacing
        columns[-1].append(built)
        used += spacing + h
    pages: list[list[list[BuiltCard]]] = []
    used_width = width + 1
    for column in columns:
        w = max(c.frame.sizeHint().width() for c in column)
        if used_width + spacing + w > width:
            pages.append([])
            used_width = -spacing
        pages[-1].append(column)
        used_width += spacing + w
    return pages


def _add_page(
    result: ResultPages, heading: str, unit: float, columns: list[list[BuiltCard]], spacing: int
) -> None:
    index = len(result.pages)
    page = QWidget()
    box = QVBoxLayout(page)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(spacing)
    title = label(heading, Role.HEADING)
    title.setObjectName("result-heading")
    box.addWidget(title)
    row = QHBoxLayout()
    row.setSpacing(spacing)
    for column in columns:
        stack = QVBoxLayout()
        stack.setSpacing(spacing)
        for built in column:
            stack.addWidget(built.frame)
            result.units += [(index, widgets) for widgets in built.units]
            result.code_labels += built.codes
        stack.addStretch(1)
        row.addLayout(stack)
    row.addStretch(1)
    box.addLayout(row, 1)
    apply_fonts(title, unit)
    result.pages.append(page)
