"""What the projected draw ceremony shows, as plain data built from a protocol record (§7).

No Qt here: the projector window only renders a ``CeremonyView``. The record carries codes
only; names of targets, inspectors and departments travel beside it in ``names``.
The ceremony shows the draw as it was drawn: later replacements (§6) are not applied here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from desktop.core.draw import commitment as commitment_of

_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class WitnessView:
    name: str
    role: str
    digits: str = ""  # blank until typed in at the draw


@dataclass(frozen=True)
class DrawnItem:
    """A drawn target: its stratum, its rank there (1 = first), code and display name."""

    stratum: str
    rank: int
    code: str
    name: str


@dataclass(frozen=True)
class StratumView:
    label: str
    pool_size: int
    drawn: tuple[DrawnItem, ...]  # in rank order


@dataclass(frozen=True)
class MemberView:
    code: str
    name: str
    dept: str
    dept_name: str
    rank: int
    is_leader: bool


@dataclass(frozen=True)
class GroupView:
    number: int
    leader: MemberView | None
    members: tuple[MemberView, ...]  # by department code, then rank
    targets: tuple[DrawnItem, ...]  # in the order they were assigned


@dataclass(frozen=True)
class CeremonyView:
    county: str
    task_title: str
    draw_code: str
    commitment: str
    witnesses: tuple[WitnessView, ...]
    public_value: str = ""
    secret_hex: str = ""  # the office secret S once revealed, else blank
    secret_revealed: bool = False
    secret_matched: bool = False  # sha256(S) == commitment; False until revealed
    strata: tuple[StratumView, ...] = ()
    groups: tuple[GroupView, ...] = ()
    unassigned: tuple[DrawnItem, ...] = ()
    rehearsal: bool = False  # 演练: marked on every projected page (issue 21)

    @property
    def has_result(self) -> bool:
        return any(s.drawn for s in self.strata) or bool(self.groups)

    @property
    def drawn_codes(self) -> list[str]:
        """Every drawn target code in display order: strata in label order, then rank."""
        return [item.code for s in self.strata for item in s.drawn]

    def with_digits(self, index: int, digits: str) -> CeremonyView:
        witnesses = list(self.witnesses)
        witnesses[index] = replace(witnesses[index], digits=digits)
        return replace(self, witnesses=tuple(witnesses))


def ceremony_from_record(
    record: dict[str, Any], names: dict[str, str], county: str, task_title: str
) -> CeremonyView:
    """The ceremony of one draw record. A prepared draw (no seed text, no result yet) gives
    the waiting view: witnesses without digits, secret not revealed, no strata drawn.

    ``names`` maps target codes, inspector codes and department codes to display names; a
    code without a name shows as itself (departments) or with a blank name (targets)."""
    inputs = record.get("inputs") or {}
    seed = _seed_fields(record.get("seed_text") or "")
    published = str(record.get("commitment") or "")
    secret = seed.get("office", [""])[0]
    revealed = bool(_HEX64.fullmatch(secret))
    matched = revealed and commitment_of(bytes.fromhex(secret)) == published

    digits = seed.get("witness", [])
    people = list(record.get("witnesses") or [])
    witnesses = [
        WitnessView(
            name=str(person.get("name", "")) if person else f"见证人{i + 1}",
            role=str(person.get("role", "")) if person else "",
            digits=digits[i] if i < len(digits) else "",
        )
        for i, person in enumerate(people + [{}] * (len(digits) - len(people)))
    ]

    result = record.get("result") or {}
    items = {
        t["code"]: DrawnItem(t["stratum"], int(t["rank"]), t["code"], names.get(t["code"], ""))
        for t in result.get("targets", [])
    }
    pool_sizes = Counter(_pool_strata(inputs.get("pool", "")))
    labels = _param_strata(inputs.get("params", ""))
    labels += sorted({i.stratum for i in items.values()} - set(labels))
    strata = tuple(
        StratumView(
            label=label,
            pool_size=pool_sizes.get(label, 0),
            drawn=tuple(sorted((i for i in items.values() if i.stratum == label), key=_by_rank)),
        )
        for label in labels
    )
    groups = tuple(_group(g, items, names) for g in result.get("groups", []))
    unassigned = tuple(_item(code, items, names) for code in result.get("unassigned", []))
    return CeremonyView(
        county=county,
        task_title=task_title,
        draw_code=str(record.get("draw_id", "")),
        commitment=published,
        witnesses=tuple(witnesses),
        public_value=seed.get("public", [""])[0],
        secret_hex=secret if revealed else "",
        secret_revealed=revealed,
        secret_matched=matched,
        strata=strata,
        groups=groups,
        unassigned=unassigned,
    )


def _by_rank(item: DrawnItem) -> tuple[int, str]:
    return item.rank, item.code


def _item(code: str, items: dict[str, DrawnItem], names: dict[str, str]) -> DrawnItem:
    return items.get(code) or DrawnItem("", 0, code, names.get(code, ""))


def _group(group: dict[str, Any], items: dict[str, DrawnItem], names: dict[str, str]) -> GroupView:
    leader_code = group.get("leader", "")
    members = tuple(
        MemberView(
            code=m["code"],
            name=names.get(m["code"], m["code"]),
            dept=m["dept"],
            dept_name=names.get(m["dept"], m["dept"]),
            rank=int(m.get("rank") or 0),
            is_leader=m["code"] == leader_code,
        )
        for m in group.get("inspectors", [])
    )
    return GroupView(
        number=int(group["group"]),
        leader=next((m for m in members if m.is_leader), None),
        members=members,
        targets=tuple(_item(code, items, names) for code in group.get("targets", [])),
    )


def _seed_fields(seed: str) -> dict[str, list[str]]:
    """The seed text's lines (§2) by name, in order: ``witness`` may repeat."""
    fields: dict[str, list[str]] = {}
    for line in seed.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields.setdefault(name, []).append(value)
    return fields


def _pool_strata(pool: str) -> list[str]:
    return [line.split("\t")[1] for line in pool.splitlines() if line.count("\t") == 1]


def _param_strata(params: str) -> list[str]:
    return [line.split(":")[1] for line in params.splitlines() if line.startswith("stratum:")]
