"""The demo county's accounts, one per role, so that every role can be tried.

All share one published password (``DEMO_PASSWORD``): this is demonstration data. The demo
opens in single-user mode as the administrator, so ``shuangsuiji --demo`` starts without a
sign-in; 用户 → 切换用户 signs in as another role.
"""

from __future__ import annotations

import hashlib

from argon2.low_level import Type, hash_secret
from sqlalchemy.orm import Session

from db.models import AppSetting, Department, User
from desktop.core.vocab import UserRole
from desktop.services.accounts.users import PASSWORD_HASHER, SINGLE_USER_KEY

DEMO_PASSWORD = "demo2026"

# username, name, role, department code
DEMO_USERS = (
    ("admin", "王海燕", UserRole.ADMIN, None),
    ("scjg", "李建国", UserRole.DEPT_OPERATOR, "SCJG"),
    ("wjw", "赵敏", UserRole.DEPT_OPERATOR, "WJW"),
    ("jiandu", "孙志强", UserRole.DRAW_SUPERVISOR, None),
    ("chakan", "周丽", UserRole.VIEWER, None),
)


def demo_password_hash(seed: int) -> str:
    """argon2id of the demo password with a salt taken from the seed: the same seed gives
    the same county, byte for byte. (A real account's salt is random: ``hash_password``.)"""
    salt = hashlib.sha256(f"ssj-demo-{seed}".encode()).digest()[:16]
    encoded = hash_secret(
        DEMO_PASSWORD.encode(),
        salt,
        time_cost=PASSWORD_HASHER.time_cost,
        memory_cost=PASSWORD_HASHER.memory_cost,
        parallelism=PASSWORD_HASHER.parallelism,
        hash_len=PASSWORD_HASHER.hash_len,
        type=Type.ID,
    )
    return encoded.decode("ascii")


def add_accounts(session: Session, departments: dict[str, Department], seed: int) -> None:
    # One hash for all: argon2id costs ~50 ms each, and telling equal passwords apart does
    # not matter for a published demo password.
    password_hash = demo_password_hash(seed)
    for username, name, role, code in DEMO_USERS:
        session.add(
            User(
                username=username,
                display_name=name,
                password_hash=password_hash,
                role=role.value,
                department_id=departments[code].id if code else None,
                failed_attempts=0,
                active=True,
            )
        )
    session.add(AppSetting(key=SINGLE_USER_KEY, value="admin"))
