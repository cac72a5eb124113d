"""Accounts: who may sign in, with which role, and single-user mode (issue 9).

Passwords are kept only as argon2id hashes. After ``MAX_FAILURES`` wrong passwords in a row
an account is locked for ``LOCK_MINUTES`` (an administrator may unlock it sooner). Every
sign-in, failure, lock and change is written to the audit trail (A2).

Single-user mode is an office setting for a township laptop used by one person: the program
opens as the named account without asking for its password. It is *not* a bypass: the
account keeps its role, everything is recorded under its name, only an administrator turns
the mode on or off (audited), and signing in as anyone else still needs their password.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AppSetting, Department, User
from desktop.core import office_settings as settings
from desktop.core.roles import Permission, Principal
from desktop.core.vocab import UserRole, label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8
SINGLE_USER_KEY = settings.SINGLE_USER.key
_ENTITY = "user"

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile (64 MiB, t=3).
PASSWORD_HASHER = PasswordHasher()


class AccountError(ValueError):
    """A sign-in or account change was refused; the message says why and what to do."""


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    department_id: int | None
    department_name: str
    active: bool
    locked_until: datetime | None
    failed_attempts: int


@dataclass(frozen=True)
class UserDraft:
    username: str
    display_name: str
    role: UserRole
    department_id: int | None = None


def hash_password(password: str) -> str:
    return PASSWORD_HASHER.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符，请换一个更长的密码。")
    if password.strip() != password or not password.strip():
        raise AccountError("密码的开头和结尾不能是空格，请重新输入。")
    if password.isdigit() or password.isalpha():
        raise AccountError("密码不能只有数字或只有字母，请混用字母、数字或符号。")


def has_accounts(database: Database) -> bool:
    with database.session(readonly=True) as session:
        return bool(session.scalar(select(func.count()).select_from(User)))


def _by_name(session: Session, username: str, *, for_update: bool = False) -> User | None:
    """Names are not case-sensitive anywhere. ``for_update`` locks the row on a server
    database, so that parallel wrong guesses are all counted."""
    query = select(User).where(func.lower(User.username) == username.strip().lower())
    return session.scalar(query.with_for_update() if for_update else query)


_DUMMY_HASH = PASSWORD_HASHER.hash("not-a-password-0")


def _burn_a_verification(password: str) -> None:
    with contextlib.suppress(VerificationError, InvalidHashError):
        PASSWORD_HASHER.verify(_DUMMY_HASH, password)


def _serialise_first_run(session: Session) -> None:
    """Two PCs on one server database must not both create "the" first administrator: a
    transaction lock on PostgreSQL (SQLite's write lock already serialises them)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('shuangsuiji.first_run'))"))


def _principal(session: Session, user: User) -> Principal:
    department_name = ""
    if user.department_id is not None:
        department = session.get(Department, user.department_id)
        department_name = department.name if department else ""
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=UserRole(user.role),
        department_id=user.department_id,
        department_name=department_name,
    )


def _check_draft(session: Session, draft: UserDraft, user_id: int | None = None) -> None:
    username = draft.username.strip()
    if not username or len(username) > 40 or any(ch.isspace() for ch in username):
        raise AccountError("用户名不能为空、不能含空格，最长 40 个字符。")
    if not draft.display_name.strip() or len(draft.display_name.strip()) > 50:
        raise AccountError("请填写姓名（最长 50 个字符），它会出现在操作记录里。")
    clash = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if clash is not None and clash.id != user_id:
        raise AccountError(f"用户名“{username}”已被使用，请换一个。")
    if draft.role is UserRole.DEPT_OPERATOR and (
        draft.department_id is None or session.get(Department, draft.department_id) is None
    ):
        raise AccountError("部门操作员必须属于一个部门，请选择其所在部门。")


def _snapshot(user: User) -> dict[str, object]:
    return {
        "用户名": user.username,
        "姓名": user.display_name,
        "角色": label(user.role, "UserRole"),
        "部门": user.department_id,
        "启用": user.active,
    }


def _audit_user(
    session: Session,
    user: User,
    *,
    actor: str,
    action: str,
    summary: str,
    before: object = None,
    after: object = None,
    at: datetime | None = None,
) -> None:
    """One trail entry about an account (A2)."""
    audit.record(
        session,
        actor=actor,
        action=action,
        entity_type=_ENTITY,
        entity_id=user.id,
        summary=summary,
        before=before,
        after=after,
        at=at,
    )


def create_first_administrator(
    database: Database, username: str, display_name: str, password: str
) -> Principal:
    """First run: the office administrator, allowed only while there is no account."""
    check_password_rules(password)
    draft = UserDraft(username.strip(), display_name.strip(), UserRole.ADMIN)
    with database.session() as session:
        _serialise_first_run(session)
        if session.scalar(select(func.count()).select_from(User)):
            raise AccountError("已经有用户账户，不能再创建首个管理员。请用管理员账户登录。")
        _check_draft(session, draft)
        user = _new_user(session, draft, password)
        _audit_user(
            session,
            user,
            actor=f"{user.display_name}（{user.username}）",
            action="创建首个管理员",
            summary=f"首次使用，创建办公室管理员 {user.display_name}",
            after=_snapshot(user),
        )
        return _principal(session, user)


def _new_user(session: Session, draft: UserDraft, password: str) -> User:
    user = User(
        username=draft.username.strip(),
        display_name=draft.display_name.strip(),
        password_hash=hash_password(password),
        role=draft.role.value,
        department_id=draft.department_id if draft.role is UserRole.DEPT_OPERATOR else None,
        failed_attempts=0,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def refused_sign_in() -> str:
    """The one sentence every refused sign-in reads, whatever the reason: an unknown name,
    a stopped account, a wrong password, a lock it set off. A guesser learns nothing of
    which names exist or how many tries are left (docs/accounts.md)."""
    return (
        "用户名或密码不正确，请重新输入。同一用户名连续输错 "
        f"{MAX_FAILURES} 次将暂停登录 {LOCK_MINUTES} 分钟；忘记密码请找办公室管理员。"
    )


def sign_in(
    database: Database, username: str, password: str, *, now: datetime | None = None
) -> Principal:
    """The account's principal if the password is right; refusals are counted and locked.
    Only the right password on a locked account learns that it is locked."""
    now = now or datetime.now()
    message = refused_sign_in()
    with database.session() as session:
        user = _by_name(session, username, for_update=True)
        if user is None or not user.active:
            # The same words and the same time as a wrong password.
            _burn_a_verification(password)
            raise AccountError(message)
        locked = user.locked_until is not None and user.locked_until > now
        try:
            PASSWORD_HASHER.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            if not locked:
                _count_failure(session, user, now)
        else:
            if locked:
                assert user.locked_until is not None
                minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
                raise AccountError(
                    f"账户因连续输错密码已被锁定，请约 {minutes} 分钟后再试，或请办公室管理员解锁。"
                )
            if PASSWORD_HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            user.failed_attempts = 0
            user.locked_until = None
            _audit_user(
                session,
                user,
                actor=f"{user.display_name}（{user.username}）",
                action="登录",
                summary=f"{user.display_name} 登录",
                at=now,
            )
            return _principal(session, user)
    raise AccountError(message)  # after the commit: the failure is counted


def _count_failure(session: Session, user: User, now: datetime) -> bool:
    """Count a wrong password (audited); whether it set off the lock."""
    user.failed_attempts = (user.failed_attempts or 0) + 1
    action = "登录失败"
    if user.failed_attempts >= MAX_FAILURES:
        user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        user.failed_attempts = 0
        action = "账户锁定"
    _audit_user(
        session,
        user,
        actor="未登录",  # whoever typed it: not necessarily the account's owner
        action=action,
        summary=f"以用户名 {user.username} 登录，密码错误",
        at=now,
    )
    return action == "账户锁定"


def single_user_name(database: Database) -> str | None:
    with database.session(readonly=True) as session:
        setting = session.get(AppSetting, SINGLE_USER_KEY)
        return setting.value if setting and setting.value else None


def start_single_user(database: Database) -> Principal | None:
    """The principal single-user mode opens as, or None when the mode is off (or its
    account can no longer be used, so that the sign-in window is shown instead)."""
    if database.sqlite_path is None:
        return None  # never on a shared server database (see set_single_user)
    with database.session() as session:
        setting = session.get(AppSetting, SINGLE_USER_KEY)
        if setting is None or not setting.value:
            return None
        user = _by_name(session, setting.value)
        if user is None or not user.active:
            return None
        _audit_user(
            session,
            user,
            actor=f"{user.display_name}（{user.username}）",
            action="登录（单用户模式）",
            summary=f"单用户模式，以 {user.display_name} 身份打开",
        )
        return _principal(session, user)


def set_single_user(database: Database, username: str | None, *, actor: str) -> None:
    """Turn single-user mode on (for ``username``) or off (None). Administrators only."""
    with database.session() as session:
        require(session, Permission.MANAGE_ACCOUNTS)
        if username and database.sqlite_path is None:
            # The setting lives in the database: on a server every PC would open without a
            # password. Single-user mode is for one laptop with its own file.
            raise AccountError(
                "单用户模式只能用于单机的数据库文件；多台电脑共用的服务器数据库不能开启。"
            )
        setting = session.get(AppSetting, SINGLE_USER_KEY)
        before = setting.value if setting else ""
        if username:
            user = _by_name(session, username)
            if user is None or not user.active:
                raise AccountError(f"没有可用的账户“{username}”，不能用于单用户模式。")
            username = user.username
        if setting is None:
            setting = AppSetting(key=SINGLE_USER_KEY, value="")
            session.add(setting)
        setting.value = username or ""
        audit.record(
            session,
            actor=actor,
            action="单用户模式",
            entity_type="setting",
            entity_id=SINGLE_USER_KEY,
            summary=f"单用户模式：{'开启，账户 ' + username if username else '关闭'}",
            before={"单用户账户": before},
            after={"单用户账户": username or ""},
        )


def list_users(database: Database) -> list[UserRow]:
    with database.session(readonly=True) as session:
        departments = {i: n for i, n in session.execute(select(Department.id, Department.name))}
        users = session.scalars(select(User).order_by(User.username))
        return [
            UserRow(
                id=u.id,
                username=u.username,
                display_name=u.display_name,
                role=u.role,
                role_label=label(u.role, "UserRole"),
                department_id=u.department_id,
                department_name=departments.get(u.department_id, "") if u.department_id else "",
                active=u.active,
                locked_until=u.locked_until,
                failed_attempts=u.failed_attempts or 0,
            )
            for u in users
        ]


def add_user(database: Database, draft: UserDraft, password: str, *, actor: str) -> int:
    check_password_rules(password)
    with database.session() as session:
        require(session, Permission.MANAGE_ACCOUNTS)
        _check_draft(session, draft)
        user = _new_user(session, draft, password)
        _audit_user(
            session,
            user,
            actor=actor,
            action="新建用户",
            summary=f"新建用户 {user.display_name}（{label(user.role, 'UserRole')}）",
            after=_snapshot(user),
        )
        return user.id


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AccountError("找不到这个用户，可能已被其他电脑修改。请刷新后重试。")
    return user


@contextlib.contextmanager
def _managed_user(database: Database, user_id: int) -> Iterator[tuple[Session, User]]:
    """An administrator's change to one account, the right checked in the change's own
    transaction (so a just-revoked administrator changes nothing)."""
    with database.session() as session:
        require(session, Permission.MANAGE_ACCOUNTS)
        yield session, _user(session, user_id)


def _other_active_admins(session: Session, user_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == UserRole.ADMIN.value, User.active.is_(True), User.id != user_id)
        )
        or 0
    )


def update_user(
    database: Database, user_id: int, draft: UserDraft, *, active: bool, actor: str
) -> None:
    """Change name, role, department or whether the account may sign in."""
    with _managed_user(database, user_id) as (session, user):
        _check_draft(session, draft, user_id)
        leaves_admin = draft.role is not UserRole.ADMIN or not active
        if (
            user.role == UserRole.ADMIN.value
            and leaves_admin
            and not _other_active_admins(session, user_id)
        ):
            raise AccountError(
                "这是最后一个启用的管理员，不能停用或改为其他角色。请先另设一名管理员。"
            )
        before = _snapshot(user)
        user.username = draft.username.strip()
        user.display_name = draft.display_name.strip()
        user.role = draft.role.value
        user.department_id = draft.department_id if draft.role is UserRole.DEPT_OPERATOR else None
        user.active = active
        _audit_user(
            session,
            user,
            actor=actor,
            action="修改用户",
            summary=f"修改用户 {user.display_name}",
            before=before,
            after=_snapshot(user),
        )


def reset_password(database: Database, user_id: int, password: str, *, actor: str) -> None:
    """An administrator sets a new password (and lifts any lock)."""
    check_password_rules(password)
    with _managed_user(database, user_id) as (session, user):
        _set_password(session, user, password, actor=actor, action="重设密码")


def unlock(database: Database, user_id: int, *, actor: str) -> None:
    with _managed_user(database, user_id) as (session, user):
        before = {"锁定至": user.locked_until, "连续输错次数": user.failed_attempts}
        user.locked_until = None
        user.failed_attempts = 0
        _audit_user(
            session,
            user,
            actor=actor,
            action="解锁用户",
            summary=f"解锁用户 {user.display_name}",
            before=before,
            after={"锁定至": None, "连续输错次数": 0},
        )


def change_own_password(
    database: Database, principal: Principal, old_password: str, new_password: str
) -> None:
    check_password_rules(new_password)
    refusal = ""
    with database.session() as session:
        user = _user(session, principal.user_id)
        try:
            PASSWORD_HASHER.verify(user.password_hash, old_password)
        except (VerificationError, InvalidHashError):
            # Counted like a failed sign-in (and committed): an unattended open window is
            # no way to guess a password either.
            locked = _count_failure(session, user, datetime.now())
            # The person is signed in: telling them of the lock tells a guesser nothing.
            refusal = (
                f"密码连续输错 {MAX_FAILURES} 次，账户已锁定 {LOCK_MINUTES} 分钟。"
                if locked
                else "请重新输入。"
            )
        else:
            who = principal.audit_name
            _set_password(session, user, new_password, actor=who, action="修改密码")
    if refusal:
        raise AccountError(f"原密码不正确，密码未修改。{refusal}")


def recover_administrator(database: Database, username: str, password: str) -> None:
    """For whoever holds the database file (command line): set an administrator's password
    when nobody can sign in any more. Recorded in the audit trail like any change."""
    check_password_rules(password)
    with database.session() as session:
        user = _by_name(session, username)
        if user is None or user.role != UserRole.ADMIN.value:
            raise AccountError(f"没有名为“{username}”的管理员账户。")
        user.active = True
        _set_password(
            session, user, password, actor="命令行（持有数据库文件者）", action="恢复管理员"
        )


def _set_password(session: Session, user: User, password: str, *, actor: str, action: str) -> None:
    user.password_hash = hash_password(password)
    user.failed_attempts = 0
    user.locked_until = None
    # The hash itself never goes into the trail.
    _audit_user(session, user, actor=actor, action=action, summary=f"{action}：{user.display_name}")
