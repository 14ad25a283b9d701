"""The staff directory: sign-in (argon2 passwords, lockout after repeated failures), server-side
sessions, and the accounts an admin (or `lamadi staff`) manages. Every sign-in, failure,
lockout, sign-out and change is a row of ``staff_audit``; no password or email reaches the logs."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

import structlog

from services.portal import repository
from services.portal.deps import PortalDeps
from services.portal.domain.commands import (
    AddStaff,
    ChangeRoles,
    CurrentStaff,
    DisableStaff,
    ListStaff,
    ResetPassword,
    SignIn,
    SignOut,
    UnlockStaff,
)
from services.portal.domain.staff import (
    Account,
    SignInResult,
    StaffIdentity,
    check_password,
    checked_email,
    checked_name,
    checked_roles,
)
from shared.errors import Conflict, InvalidInput, NotFound
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()
TOUCH_EVERY = timedelta(seconds=60)  # a session's last_seen_at is written at most this often


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def sign_in(command: SignIn, uow: UnitOfWork, deps: PortalDeps) -> SignInResult:
    """Never raises for a refusal: the failure count, lockout and audit rows must commit."""
    now, settings, passwords = deps.clock(), deps.settings, deps.passwords
    try:
        email = checked_email(command.email)
    except InvalidInput:
        email = command.email.strip().lower()[:200]
    account = await repository.get_account(uow.conn, email, for_update=True)
    audit = {"subject": email, "client": command.client}
    if account is None or account.disabled:
        await passwords.verify_decoy(command.password)
        reason = "unknown_account" if account is None else "disabled"
        await repository.audit(uow.conn, actor="anonymous", action="sign_in_failed", **audit, details={"reason": reason})
        log.info("staff_sign_in_failed", reason=reason)
        return SignInResult(refusal="unknown")
    if account.locked(now):
        await passwords.verify_decoy(command.password)
        await repository.audit(uow.conn, actor="anonymous", action="sign_in_refused_locked", **audit)
        log.info("staff_sign_in_refused_locked")
        return SignInResult(refusal="locked", locked_until=account.locked_until)
    if not await passwords.verify(account.password_hash, command.password):
        locks = account.fail(now, attempts_allowed=settings.sign_in_attempts,
                             lockout=timedelta(seconds=settings.lockout_seconds))
        await repository.save_account(uow.conn, account)
        await repository.audit(uow.conn, actor="anonymous", action="sign_in_failed", **audit,
                               details={"reason": "password"})
        if locks:
            await repository.audit(uow.conn, actor="system", action="locked_out", **audit,
                                   details={"until": account.locked_until.isoformat()})
            log.warning("staff_account_locked_out")
            return SignInResult(refusal="locked", locked_until=account.locked_until)
        log.info("staff_sign_in_failed", reason="password")
        return SignInResult(refusal="unknown")
    account.succeed()
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = await passwords.hash(command.password)
    await repository.save_account(uow.conn, account)
    token = secrets.token_urlsafe(32)
    await repository.insert_session(uow.conn, _hash(token), account.email,
                                    now + timedelta(seconds=settings.staff_session_seconds))
    await repository.audit(uow.conn, actor=account.email, action="sign_in", **audit)
    log.info("staff_signed_in", roles=sorted(account.roles))
    return SignInResult(identity=account.identity, session_token=token)


async def current_staff(query: CurrentStaff, uow: UnitOfWork, deps: PortalDeps) -> StaffIdentity | None:
    """Who holds this session now: None once it ended, expired, idled out, or its account was
    disabled. Roles are read afresh, so a change applies on the next page."""
    now, settings = deps.clock(), deps.settings
    id_hash = _hash(query.session_token)
    found = await repository.session_account(uow.conn, id_hash, now, now - timedelta(seconds=settings.staff_idle_seconds))
    if found is None:
        return None
    account, last_seen = found
    if now - last_seen > TOUCH_EVERY:
        await repository.touch_session(uow.conn, id_hash, now)
    return account.identity


async def sign_out(command: SignOut, uow: UnitOfWork, deps: PortalDeps) -> None:
    email = await repository.end_session(uow.conn, _hash(command.session_token), deps.clock())
    if email is not None:
        await repository.audit(uow.conn, actor=email, action="sign_out", subject=email, client=command.client)
        log.info("staff_signed_out")


async def _existing(uow: UnitOfWork, email: str) -> Account:
    account = await repository.get_account(uow.conn, checked_email(email), for_update=True)
    if account is None:
        raise NotFound("There is no staff member with this email.")
    return account


async def add_staff(command: AddStaff, uow: UnitOfWork, deps: PortalDeps) -> Account:
    account = Account(email=checked_email(command.email), full_name=checked_name(command.full_name),
                      roles=checked_roles(command.roles), password_hash="")
    check_password(command.password)
    account.password_hash = await deps.passwords.hash(command.password)
    if not await repository.insert_account(uow.conn, account):
        raise Conflict("A staff member with this email already exists.")
    await repository.audit(uow.conn, actor=command.actor, action="staff_added", subject=account.email,
                           details={"roles": account.roles})
    log.info("staff_added", roles=account.roles)
    return account


async def disable_staff(command: DisableStaff, uow: UnitOfWork, deps: PortalDeps) -> Account:
    account = await _existing(uow, command.email)
    account.disabled = command.disabled
    await repository.save_account(uow.conn, account)
    ended = await repository.end_sessions_of(uow.conn, account.email, deps.clock()) if command.disabled else 0
    await repository.audit(uow.conn, actor=command.actor, action="staff_disabled" if command.disabled else "staff_enabled",
                           subject=account.email, details={"sessions_ended": ended})
    return account


async def reset_password(command: ResetPassword, uow: UnitOfWork, deps: PortalDeps) -> Account:
    check_password(command.password)
    account = await _existing(uow, command.email)
    account.password_hash = await deps.passwords.hash(command.password)
    account.unlock()
    await repository.save_account(uow.conn, account)
    ended = await repository.end_sessions_of(uow.conn, account.email, deps.clock())
    await repository.audit(uow.conn, actor=command.actor, action="password_reset", subject=account.email,
                           details={"sessions_ended": ended})
    return account


async def unlock_staff(command: UnlockStaff, uow: UnitOfWork, deps: PortalDeps) -> Account:
    account = await _existing(uow, command.email)
    account.unlock()
    await repository.save_account(uow.conn, account)
    await repository.audit(uow.conn, actor=command.actor, action="staff_unlocked", subject=account.email)
    return account


async def change_roles(command: ChangeRoles, uow: UnitOfWork, deps: PortalDeps) -> Account:
    account = await _existing(uow, command.email)
    before, account.roles = account.roles, checked_roles(command.roles)
    await repository.save_account(uow.conn, account)
    await repository.audit(uow.conn, actor=command.actor, action="roles_changed", subject=account.email,
                           details={"from": before, "to": account.roles})
    return account


async def list_staff(query: ListStaff, uow: UnitOfWork, deps: PortalDeps) -> tuple[list[Account], list[dict[str, Any]]]:
    return await repository.list_accounts(uow.conn), await repository.audit_trail(uow.conn, limit=query.audit_limit)
