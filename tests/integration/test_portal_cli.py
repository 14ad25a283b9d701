"""`lamadi staff add|disable|enable|reset-password|list` against the real database: accounts in
the portal's schema through its own handlers, each change audited as cli:<user>, and the
password read without an argument and never printed."""

from __future__ import annotations

import asyncio
import io

import asyncpg
import pytest

from lamadi_cli.main import main
from services.portal.adapters.passwords import Passwords

PASSWORD = "ce mot de passe reste secret"


async def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = await asyncio.to_thread(main, list(argv))
    out, err = capsys.readouterr()
    return code, out + err


async def test_staff_commands_manage_the_directory_without_ever_showing_a_password(env, capsys, monkeypatch):
    code, out = await run(capsys, monkeypatch, "staff", "add", "--email", "Omar@Agence.ma", "--name", "Omar Idrissi",
                          "--role", "supervisor", "--role", "committee", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, out
    assert "omar@agence.ma (supervisor, committee)" in out and PASSWORD not in out
    again, out = await run(capsys, monkeypatch, "staff", "add", "--email", "omar@agence.ma", "--name", "Omar",
                           "--role", "reviewer", "--password-stdin", stdin=PASSWORD + "\n")
    assert again == 1 and "already exists" in out
    short, out = await run(capsys, monkeypatch, "staff", "add", "--email", "x@agence.ma", "--name", "Xavier",
                           "--role", "reviewer", "--password-stdin", stdin="short\n")
    assert short == 1 and "at least 12" in out
    with pytest.raises(SystemExit) as usage:  # argparse: bad usage exits with 2
        main(["staff", "add", "--email", "y@agence.ma", "--name", "Yasmine", "--role", "root"])
    assert usage.value.code == 2

    assert (await run(capsys, monkeypatch, "staff", "disable", "--email", "omar@agence.ma"))[0] == 0
    code, out = await run(capsys, monkeypatch, "staff", "list")
    assert code == 0 and "omar@agence.ma" in out and "disabled" in out
    code, out = await run(capsys, monkeypatch, "staff", "reset-password", "--email", "omar@agence.ma",
                          "--password-stdin", stdin="un tout nouveau mot de passe\n")
    assert code == 0 and "un tout nouveau" not in out
    missing, out = await run(capsys, monkeypatch, "staff", "disable", "--email", "nobody@agence.ma")
    assert missing == 1 and "no staff member" in out

    conn = await asyncpg.connect(env["LAMADI_DATABASE_URL"], server_settings={"search_path": "portal"})
    try:
        stored = await conn.fetchrow("SELECT password_hash, disabled, roles FROM staff_members WHERE email = $1",
                                     "omar@agence.ma")
        actions = [r["action"] for r in await conn.fetch("SELECT action, actor FROM staff_audit ORDER BY id")]
        actors = {r["actor"] for r in await conn.fetch("SELECT actor FROM staff_audit")}
    finally:
        await conn.close()
    assert await Passwords().verify(stored["password_hash"], "un tout nouveau mot de passe")
    assert stored["disabled"] and list(stored["roles"]) == ["supervisor", "committee"]
    assert actions == ["staff_added", "staff_disabled", "password_reset"]
    assert all(actor.startswith("cli") for actor in actors)
