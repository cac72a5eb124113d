"""The public draw protocol ``ssj-draw-1`` (docs: ../shared/specs/draw-protocol.md).

Pure functions, no database and no Qt: the same code runs the live draw, the demo and the
verifier, and a witness can re-run a published record with ``resources/verify_draw.py``.
Python's ``random`` is never used here (a test asserts it).
"""

from desktop.core.draw.engine import (
    DrawnGroup,
    DrawnTarget,
    DrawResult,
    GroupInspector,
    check_feasible,
    next_by_ranking,
    run_draw,
    target_counts,
)
from desktop.core.draw.inputs import (
    CODE_PATTERN,
    ConflictEntry,
    DeptQuota,
    DrawInputError,
    DrawInputs,
    DrawParams,
    PoolEntry,
    RosterEntry,
    StratumSpec,
    conflicts_text,
    freeze_inputs,
    params_text,
    parse_params,
    pool_text,
    roster_text,
    sha256_hex,
)
from desktop.core.draw.ranking import rank, score
from desktop.core.draw.record import (
    PROTOCOL,
    Replacement,
    build_record,
    dump_record,
    inputs_from_record,
    result_from_record,
    verify_record,
)
from desktop.core.draw.seed import (
    SeedInputError,
    check_public_value,
    check_witness_digits,
    commitment,
    draw_key,
    new_office_secret,
    secret_from_seed_text,
    seed_text,
)

__all__ = [
    "CODE_PATTERN",
    "PROTOCOL",
    "ConflictEntry",
    "DeptQuota",
    "DrawInputError",
    "DrawInputs",
    "DrawParams",
    "DrawResult",
    "DrawnGroup",
    "DrawnTarget",
    "GroupInspector",
    "PoolEntry",
    "Replacement",
    "RosterEntry",
    "SeedInputError",
    "StratumSpec",
    "build_record",
    "check_feasible",
    "check_public_value",
    "check_witness_digits",
    "commitment",
    "conflicts_text",
    "draw_key",
    "dump_record",
    "freeze_inputs",
    "inputs_from_record",
    "new_office_secret",
    "next_by_ranking",
    "params_text",
    "parse_params",
    "pool_text",
    "rank",
    "result_from_record",
    "roster_text",
    "run_draw",
    "score",
    "secret_from_seed_text",
    "seed_text",
    "sha256_hex",
    "target_counts",
    "verify_record",
]
