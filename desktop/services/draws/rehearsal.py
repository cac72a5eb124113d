"""演练: the whole ceremony rehearsed on the real screens before a real draw (issue 21).

A rehearsal takes the prepared draw's frozen inputs (so the pool, the strata and the pages
look as they will) with a throw-away secret made for it, and computes the protocol in
memory. Nothing is stored, audited or changed: the task, the draw, its commitment and its
secret are as they were, and the rehearsal's result says nothing about the real one (a
different secret gives a different key).
"""

from __future__ import annotations

import secrets

from db.engine import Database
from db.models import Draw
from desktop.core.draw.engine import run_draw
from desktop.core.draw.inputs import DrawInputError, DrawInputs
from desktop.core.draw.record import build_record
from desktop.core.draw.seed import (
    SECRET_BYTES,
    SeedInputError,
    commitment,
    draw_key,
    seed_text,
)
from desktop.core.roles import Permission
from desktop.core.vocab import DrawStatus
from desktop.services.accounts.access import require
from desktop.services.draws.prepare import DrawServiceError
from desktop.services.draws.run import CeremonyData, display_names
from desktop.services.office.profile import get_profile
from desktop.services.tasks.common import get_task

REHEARSAL_MARK = "演练"


def rehearsal_secret() -> bytes:
    """A secret for one rehearsal only, from the system's secure random source."""
    return secrets.token_bytes(SECRET_BYTES)


def rehearse(
    database: Database,
    draw_id: int,
    *,
    secret: bytes,
    witness_digits: list[str],
    public_value: str,
    witnesses: list[tuple[str, str]],
) -> CeremonyData:
    """The rehearsal's record and names, as :func:`run.ceremony_data` gives a real draw's;
    its draw code is marked 演练. Reads only."""
    county = get_profile(database).county
    with database.session(readonly=True) as session:
        require(session, Permission.RUN_DRAWS)
        draw = session.get(Draw, draw_id)
        if draw is None:
            raise DrawServiceError(f"没有编号为 {draw_id} 的抽取：请刷新抽取列表。")
        if draw.status != DrawStatus.PREPARED:
            raise DrawServiceError(f"抽取 {draw.draw_code} 不是“已备抽”，不能演练。")
        title = get_task(session, draw.task_id).title
        try:
            inputs = DrawInputs.from_texts(
                draw.pool_text, draw.roster_text, draw.conflicts_text, draw.params_text
            )
            seed = seed_text(draw.draw_code, inputs.params, witness_digits, public_value, secret)
            result = run_draw(inputs, draw_key(seed))
        except (DrawInputError, SeedInputError) as error:
            raise DrawServiceError(f"演练不能进行：{error}") from error
        record = build_record(
            inputs,
            commitment(secret),
            seed,
            result,
            witnesses=[{"name": n.strip(), "role": r.strip()} for n, r in witnesses],
        )
        names = display_names(
            session,
            [t.code for t in result.targets],
            [m.code for g in result.groups for m in g.inspectors],
        )
        code = draw.draw_code
    return CeremonyData(
        draw_id=draw_id,
        draw_code=f"{code}（{REHEARSAL_MARK}）",
        commitment=commitment(secret),
        record=record,
        names=names,
        county=county,
        task_title=title,
    )
