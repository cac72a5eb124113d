"""Property tests of ssj-draw-1: order independence, exact counts, fair assignment."""

from __future__ import annotations

import hashlib
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.draw import (
    ConflictEntry,
    DeptQuota,
    DrawInputError,
    DrawParams,
    PoolEntry,
    RosterEntry,
    StratumSpec,
    check_feasible,
    draw_key,
    freeze_inputs,
    rank,
    run_draw,
    score,
    seed_text,
    target_counts,
)
from desktop.core.draw.engine import stratum_size

codes = st.lists(
    st.from_regex(r"[0-9A-Z]{4,10}", fullmatch=True), min_size=1, max_size=40, unique=True
)
keys = st.binary(min_size=32, max_size=32)


@given(codes, keys, st.randoms(use_true_random=False))
def test_rank_does_not_depend_on_list_order(items: list[str], key: bytes, rnd: object) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert rank(key, "p", items) == rank(key, "p", shuffled)


@given(codes, keys)
def test_rank_of_a_code_ignores_other_codes(items: list[str], key: bytes) -> None:
    full = [c for c, _ in rank(key, "p", items)]
    subset = [c for c, _ in rank(key, "p", items[: len(items) // 2 + 1])]
    assert subset == [c for c in full if c in subset]


@given(
    st.integers(0, 5000),
    st.integers(0, 1000),
    st.integers(1, 1000),
)
def test_ratio_rounds_half_up_exactly_with_minimum_one(n: int, num: int, den: int) -> None:
    if num > den:
        num = den
    spec = str(Fraction(num, den).limit_denominator(1000))
    decimal = f"{num / den:.6f}".rstrip("0").rstrip(".") if num else "0"
    ratio = Fraction(decimal)
    got = stratum_size(decimal, n)
    expected = int(ratio * n + Fraction(1, 2))  # both positive: int() floors
    if expected == 0 and ratio > 0 and n > 0:
        expected = 1
    assert got == min(expected, n)
    assert spec  # the generated fraction is well-formed


def test_ratio_examples_from_the_protocol() -> None:
    assert stratum_size("0.05", 10) == 1  # 0.5 rounds up
    assert stratum_size("0.05", 9) == 1  # 0.45 -> 0 -> minimum 1
    assert stratum_size("0.125", 12) == 2  # 1.5 rounds up exactly (no float error)
    assert stratum_size("0", 50) == 0
    assert stratum_size("#12", 5) == 5
    assert stratum_size("1", 0) == 0


@st.composite
def draws(draw: st.DrawFn) -> tuple[object, bytes]:
    pool_codes = draw(
        st.lists(st.from_regex(r"T[0-9]{5}", fullmatch=True), max_size=60, unique=True)
    )
    labels = ["A", "B", "C"]
    pool = [PoolEntry(c, labels[i % 3]) for i, c in enumerate(pool_codes)]
    groups = draw(st.integers(1, 4))
    quotas = (DeptQuota("D1", 2), DeptQuota("D2", draw(st.integers(1, 3))))
    roster = [
        RosterEntry(q.dept, f"{q.dept}-{n:03d}")
        for q in quotas
        for n in range(groups * q.per_group + draw(st.integers(0, 4)))
    ]
    conflicts = draw(
        st.lists(
            st.tuples(
                st.sampled_from([r.code for r in roster]), st.sampled_from(pool_codes or ["-"])
            ),
            max_size=30,
        )
    )
    params = DrawParams(
        "P-1",
        (StratumSpec("A", "0.3"), StratumSpec("B", "#4"), StratumSpec("C", "1")),
        groups,
        quotas,
        "D1",
    )
    entries = [ConflictEntry(i, t) for i, t in conflicts if pool_codes]
    inputs = freeze_inputs(pool, roster, entries, params)
    return inputs, hashlib.sha256(draw(st.binary(min_size=1))).digest()


@settings(max_examples=60, deadline=None)
@given(draws())
def test_every_drawn_target_is_assigned_once_or_listed_unassigned(
    case: tuple[object, bytes],
) -> None:
    inputs, key = case
    result = run_draw(inputs, key)  # type: ignore[arg-type]
    placed = [t for g in result.groups for t in g.targets] + list(result.unassigned)
    assert Counter(placed) == Counter(t.code for t in result.targets)
    sizes = [len(g.targets) for g in result.groups]
    if not result.unassigned and not inputs.conflict_entries:  # type: ignore[attr-defined]
        assert max(sizes) - min(sizes) <= 1  # D5: balanced when nothing blocks


@settings(max_examples=60, deadline=None)
@given(draws())
def test_groups_have_the_quota_and_nobody_twice(case: tuple[object, bytes]) -> None:
    inputs, key = case
    result = run_draw(inputs, key)  # type: ignore[arg-type]
    everyone = [m.code for g in result.groups for m in g.inspectors]
    assert len(everyone) == len(set(everyone))
    for group in result.groups:
        per_dept = Counter(m.dept for m in group.inspectors)
        assert dict(per_dept) == {q.dept: q.per_group for q in inputs.parsed.quotas}  # type: ignore[attr-defined]
        assert group.leader.startswith("D1-")


@settings(max_examples=40, deadline=None)
@given(draws())
def test_draw_is_deterministic_for_a_key(case: tuple[object, bytes]) -> None:
    inputs, key = case
    assert run_draw(inputs, key) == run_draw(inputs, key)  # type: ignore[arg-type]


# --- Issue 6, engine checks: file order, witness digits, stratum counts at the edges ---

SECRET = bytes(range(32))


def _witness_key(params: str, witnesses: list[str]) -> bytes:
    return draw_key(seed_text("P-1", params, witnesses, "3245.67", SECRET))


def _drawn(inputs: object, key: bytes) -> list[tuple[str, str]]:
    result = run_draw(inputs, key)  # type: ignore[arg-type]
    return [(t.stratum, t.code) for t in result.targets]


@settings(max_examples=60, deadline=None)
@given(draws(), st.randoms(use_true_random=False))
def test_r3_file_order_of_pool_roster_conflicts_does_not_matter(
    case: tuple[object, bytes], rnd: object
) -> None:
    """§1: the frozen texts are canonical, so a shuffled file (and shuffled stratum and
    department lines) freezes to the same texts and gives the whole same result."""
    inputs, key = case
    pool = list(inputs.pool_entries)  # type: ignore[attr-defined]
    roster = list(inputs.roster_entries)  # type: ignore[attr-defined]
    conflicts = list(inputs.conflict_entries)  # type: ignore[attr-defined]
    params = inputs.parsed  # type: ignore[attr-defined]
    strata, quotas = list(params.strata), list(params.quotas)
    for items in (pool, roster, conflicts, strata, quotas):
        rnd.shuffle(items)  # type: ignore[attr-defined]
    shuffled = freeze_inputs(
        pool,
        roster,
        conflicts,
        DrawParams(params.draw_id, tuple(strata), params.groups, tuple(quotas), params.lead),
    )
    for text in ("pool", "roster", "conflicts", "params"):
        assert getattr(shuffled, text) == getattr(inputs, text)
    assert run_draw(shuffled, key) == run_draw(inputs, key)  # type: ignore[arg-type]


witness_lists = st.lists(st.from_regex(r"[0-9]{1,32}", fullmatch=True), min_size=1, max_size=5)


@settings(max_examples=200, deadline=None)
@given(witness_lists, st.data())
def test_d9_changing_one_witness_digit_always_changes_the_key(
    witnesses: list[str], data: st.DataObject
) -> None:
    which = data.draw(st.integers(0, len(witnesses) - 1))
    position = data.draw(st.integers(0, len(witnesses[which]) - 1))
    old = witnesses[which][position]
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != old]))
    changed = list(witnesses)
    changed[which] = witnesses[which][:position] + new + witnesses[which][position + 1 :]
    params = "alg:ssj-draw-1\n"  # only its hash enters the seed text
    assert _witness_key(params, changed) != _witness_key(params, witnesses)


def test_d9_changing_one_witness_digit_changes_the_drawn_targets() -> None:
    """1,000 one-digit changes over a stratum of 60 with 6 drawn (ratio 0.1).

    If HMAC-SHA256 behaves as a random function, a new key draws the same 6 of 60 with
    probability 1 / C(60, 6) = 1 / 50,063,860 ≈ 2e-8, so over 1,000 changes the expected
    number of unchanged draws is ≈ 2e-5. The assertion allows 10 (1 %): it fails only if the
    witness digits barely reach the draw, never by chance. (With a tiny pool, e.g. 1 of 5,
    a new key keeps the same target one time in five; hence a pool of 60.)"""
    pool = [PoolEntry(f"T{n:05d}", "A") for n in range(60)]
    inputs = freeze_inputs(pool, [], [], DrawParams("P-1", (StratumSpec("A", "0.1"),), 0))
    same = 0
    for case in range(1000):
        digits = str(int.from_bytes(hashlib.sha256(b"w%d" % case).digest()[:8], "big"))
        position = case % len(digits)
        new = str((int(digits[position]) + 1 + case % 9) % 10)
        changed = digits[:position] + new + digits[position + 1 :]
        assert changed != digits
        before = _drawn(inputs, _witness_key(inputs.params, ["2718", digits]))
        after = _drawn(inputs, _witness_key(inputs.params, ["2718", changed]))
        assert len(before) == len(after) == 6
        same += set(before) == set(after)
    assert same <= 10


def _counts(result: object) -> Counter[str]:
    return Counter(t.stratum for t in result.targets)  # type: ignore[attr-defined]


def _pool(sizes: dict[str, int]) -> list[PoolEntry]:
    return [
        PoolEntry(f"{label}{n:05d}", label) for label, size in sizes.items() for n in range(size)
    ]


@given(st.sampled_from(["0.05", "1", "0", "#3", "#0"]), st.integers(1, 40), keys)
def test_s4_empty_stratum_draws_nothing_and_does_not_refuse(
    spec: str, other: int, key: bytes
) -> None:
    """§4: a stratum with N_s = 0 gets n_s = 0 whatever its spec (a ratio's minimum of one
    applies only when N_s > 0, a count is capped at N_s); the other strata are drawn."""
    params = DrawParams("P-1", (StratumSpec("A", "#2"), StratumSpec("E", spec)), 0)
    inputs = freeze_inputs(_pool({"A": other}), [], [], params)
    assert target_counts(inputs)["E"] == (0, 0)
    result = run_draw(inputs, key)
    assert _counts(result) == Counter({"A": min(2, other)})


def test_d8_empty_pool_draws_only_inspectors() -> None:
    """§1/D8: a task that draws only inspectors has an empty pool and no stratum lines."""
    quotas = (DeptQuota("D1", 2),)
    roster = [RosterEntry("D1", f"D1-{n}") for n in range(4)]
    inputs = freeze_inputs([], roster, [], DrawParams("P-1", (), 2, quotas, "D1"))
    result = run_draw(inputs, hashlib.sha256(b"k").digest())
    assert result.targets == () and result.unassigned == ()
    assert [len(g.inspectors) for g in result.groups] == [2, 2]


def test_s4_empty_pool_without_groups_is_refused() -> None:
    """Nothing to draw at all: refused before any seed exists (check_feasible)."""
    inputs = freeze_inputs([], [], [], DrawParams("P-1", (StratumSpec("A", "1"),), 0))
    assert check_feasible(inputs)
    with pytest.raises(DrawInputError):
        run_draw(inputs, hashlib.sha256(b"k").digest())


@given(st.integers(0, 300), st.sampled_from(["1", "1.0", "1.000"]), keys)
def test_s4_ratio_one_draws_everyone(size: int, spec: str, key: bytes) -> None:
    params = DrawParams("P-1", (StratumSpec("A", spec), StratumSpec("B", "#1")), 0)
    inputs = freeze_inputs(_pool({"A": size, "B": 1}), [], [], params)
    result = run_draw(inputs, key)
    assert {t.code for t in result.targets if t.stratum == "A"} == {
        e.code for e in inputs.pool_entries if e.stratum == "A"
    }
    assert [t.rank for t in result.targets if t.stratum == "A"] == list(range(1, size + 1))


@given(
    st.integers(1, 100),
    st.sampled_from(["0.0001", "0.001", "0.00000001", "0.0049"]),
    keys,
)
def test_s4_tiny_ratio_draws_at_least_one(size: int, spec: str, key: bytes) -> None:
    """§4: r > 0 and N_s > 0 but floor(r * N_s + 1/2) = 0: n_s = 1 (all sizes here are
    below 1 / (2r), so the rounding alone would give 0)."""
    inputs = freeze_inputs(
        _pool({"A": size}), [], [], DrawParams("P-1", (StratumSpec("A", spec),), 0)
    )
    assert target_counts(inputs)["A"] == (size, 1)
    assert len(run_draw(inputs, key).targets) == 1


@given(st.integers(1, 300), keys)
def test_s4_ratio_zero_draws_nobody(size: int, key: bytes) -> None:
    """The minimum of one is for r > 0 only: "0" and "0.000" draw no target."""
    params = DrawParams("P-1", (StratumSpec("A", "0"), StratumSpec("B", "0.000")), 0)
    inputs = freeze_inputs(_pool({"A": size, "B": size}), [], [], params)
    assert run_draw(inputs, key).targets == ()


@given(st.integers(1, 50), st.integers(0, 200), keys)
def test_s4_count_above_n_is_capped(size: int, count: int, key: bytes) -> None:
    """§4: a count spec #c gives n_s = min(c, N_s): more than the stratum holds is capped,
    not refused, and the drawn ones are the first n_s of the stratum's ranking."""
    inputs = freeze_inputs(
        _pool({"A": size}), [], [], DrawParams("P-1", (StratumSpec("A", f"#{count}"),), 0)
    )
    result = run_draw(inputs, key)
    assert len(result.targets) == min(count, size)
    ranking = [c for c, _ in rank(key, "target|A", [e.code for e in inputs.pool_entries])]
    assert [t.code for t in result.targets] == ranking[: min(count, size)]


@given(st.sampled_from(["1.5", "2", "1.0001"]))
def test_s4_ratio_above_one_is_refused(spec: str) -> None:
    with pytest.raises(DrawInputError):
        freeze_inputs(_pool({"A": 3}), [], [], DrawParams("P-1", (StratumSpec("A", spec),), 0))


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["A", "B", "C", "D"]),
        st.tuples(
            st.integers(0, 120),
            st.sampled_from(["0", "0.001", "0.05", "0.125", "0.5", "1", "#0", "#1", "#7", "#500"]),
        ),
        min_size=1,
    ),
    keys,
)
def test_s4_drawn_counts_per_stratum_match_the_published_counts(
    strata: dict[str, tuple[int, str]], key: bytes
) -> None:
    """What run_draw draws per stratum is what target_counts shows before the seed."""
    pool = _pool({label: size for label, (size, _) in strata.items()})
    params = DrawParams(
        "P-1", tuple(StratumSpec(label, spec) for label, (_, spec) in strata.items()), 0
    )
    inputs = freeze_inputs(pool, [], [], params)
    if not pool:
        return  # refused: nothing to draw (test_s4_empty_pool_without_groups_is_refused)
    result = run_draw(inputs, key)
    expected = {label: n for label, (_, n) in target_counts(inputs).items()}
    assert {label: _counts(result)[label] for label in strata} == expected
    for label, (size, spec) in strata.items():
        assert expected[label] == stratum_size(spec, size) <= size


@given(codes, keys, st.text(max_size=12))
def test_s3_rank_is_score_then_code_as_the_protocol_writes_it(
    items: list[str], key: bytes, purpose: str
) -> None:
    """§3 literally: HMAC-SHA256(K, purpose + "\\x00" + code), sorted by (score, code); the
    engine's quicker ranking (one HMAC state copied per code) must give exactly this."""
    literal = sorted((score(key, purpose, code), code) for code in items)
    assert rank(key, purpose, items) == [(code, s) for s, code in literal]
