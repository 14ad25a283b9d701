"""Pool connections go back to the pool without asyncpg's reset query (shared/db.py): that holds
only while no code leaves session state on them. This keeps it so, reading the SQL in the code:
session-level advisory locks, LISTEN, session SETs, held cursors and temporary tables live only
on the connections of their own that are named here."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("services", "shared", "lamadi_cli", "deploy")
# path -> what it may do, on a connection of its own (never a pool's)
OWN_CONNECTIONS = {
    "shared/migrations.py": {"session advisory lock", "session SET"},
    "shared/messaging/outbox.py": {"LISTEN"},
}
SESSION_STATE = {
    "session advisory lock": re.compile(r"pg_(try_)?advisory_lock(_shared)?\s*\(", re.I),
    "LISTEN": re.compile(r"add_listener\(|[\"']\s*LISTEN\s", re.I),
    "session SET": re.compile(r"[\"']\s*SET\s+(SESSION\s+)?(ROLE\b|TIME\s+ZONE\b|\w+\s+TO\b)|set_config\s*\(", re.I),
    "held cursor": re.compile(r"\bWITH\s+HOLD\b", re.I),
    "temporary table": re.compile(r"\bCREATE\s+(GLOBAL\s+|LOCAL\s+)?TEMP(ORARY)?\s+TABLE\b", re.I),
}


def findings() -> list[tuple[str, str]]:
    found = []
    for top in CODE:
        for path in sorted((ROOT / top).rglob("*.py")):
            name, text = path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")
            found += [(name, what) for what, pattern in SESSION_STATE.items()
                      if pattern.search(text) and what not in OWN_CONNECTIONS.get(name, set())]
    return found


def test_no_code_leaves_session_state_on_a_pool_connection():
    assert findings() == []


def test_the_patterns_see_session_state():
    samples = {"session advisory lock": "SELECT pg_advisory_lock($1)", "LISTEN": "'LISTEN intake_outbox'",
               "session SET": "'SET statement_timeout TO 0'", "held cursor": "DECLARE c CURSOR WITH HOLD FOR",
               "temporary table": "CREATE TEMP TABLE t (x int)"}
    assert {what for what, text in samples.items() if SESSION_STATE[what].search(text)} == set(SESSION_STATE)
    assert not SESSION_STATE["session advisory lock"].search("SELECT pg_advisory_xact_lock($1)")
    assert not SESSION_STATE["session SET"].search('"UPDATE t SET x = 1"')
