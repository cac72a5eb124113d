"""Demo: fictional names, phone numbers and ID numbers with valid check characters."""

from __future__ import annotations

import random
from datetime import date, timedelta

from desktop.core.codes import id_check_char
from desktop.services.demo import data


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(data.GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(data.SURNAMES) + given


def phone_number(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def id_number(rng: random.Random) -> str:
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(40 * 365))
    first17 = f"{data.REGION_CODE}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_char(first17)
