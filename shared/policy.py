"""Who may do what: roles, the kinds each handles, the actions each may take, and whether it
sees applicants' personal data. Data (shared/policy.toml), checked here; pure, no I/O but
reading the file."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from shared.catalogue import Catalogue
from shared.errors import Forbidden

DEFAULT_PATH = Path(__file__).with_name("policy.toml")
ROLES = ("reviewer", "committee", "supervisor", "finance", "ops", "admin")
ADMIN = "admin"
TASK_ACTIONS = frozenset({"read", "audit", "download", "claim", "observe", "decide", "record_step", "refer",
                          "record_opinion", "publish", "assign", "revoke"})
# Task actions that only look at a task: a role holding no other one on a kind is never given
# its tasks to work on.
LOOKING = frozenset({"read", "audit", "download"})
# parked: list, replay and drop parked messages; replies: edit the standard replies (portal);
# directory: manage the staff directory (portal; no role but admin holds it by default).
OTHER_ACTIONS = frozenset({"sessions", "open_session", "deliveries", "resend", "queues", "reports",
                           "build_reports", "parked", "replies", "directory"})


class Grant(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kinds: list[str]
    actions: list[str]


class Role(BaseModel):
    model_config = ConfigDict(extra="forbid")
    personal_data: bool
    # May act on a task assigned to someone else (observe, decide, refer, record a step), as
    # its assignee may; admin always may.
    acts_for_others: bool = False
    actions: list[str] = []
    grants: list[Grant] = []


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    roles: dict[str, Role]

    def check_against(self, catalogue: Catalogue) -> None:
        """Every kind and action named is one that exists."""
        for name, role in self.roles.items():
            unknown_actions = set(role.actions) - OTHER_ACTIONS
            for grant in role.grants:
                unknown_actions |= set(grant.actions) - TASK_ACTIONS
                if unknown := set(grant.kinds) - set(catalogue.kinds):
                    raise ValueError(f"policy role {name} names unknown kinds {sorted(unknown)}")
            if unknown_actions:
                raise ValueError(f"policy role {name} names unknown actions {sorted(unknown_actions)}")

    def kinds_for(self, roles: frozenset[str], action: str) -> set[str] | None:
        """The kinds these roles may take ``action`` on; None means every kind (admin)."""
        if ADMIN in roles:
            return None
        return {kind for role in roles if role in self.roles for grant in self.roles[role].grants
                if action in grant.actions for kind in grant.kinds}

    def allows(self, roles: frozenset[str], action: str, kind: str | None = None) -> bool:
        """``action`` on a task of ``kind`` (or, without a kind, on any kind, or a non-task action)."""
        if ADMIN in roles:
            return True
        if action in OTHER_ACTIONS:
            return any(action in self.roles[role].actions for role in roles if role in self.roles)
        kinds = self.kinds_for(roles, action)
        return bool(kinds) if kind is None else kind in kinds

    def ensure(self, roles: frozenset[str], action: str, kind: str | None = None) -> None:
        if not self.allows(roles, action, kind):
            what = f"{action.replace('_', ' ')} on a {kind}" if kind else action.replace("_", " ")
            able = [name for name in self.roles if self.allows(frozenset({name}), action, kind)]
            raise Forbidden(f"Your roles ({', '.join(sorted(roles)) or 'none'}) do not allow: {what}; it takes "
                            f"the role {', '.join(able)}{' or ' if able else ''}{ADMIN}.")

    def acts_for_others(self, roles: frozenset[str]) -> bool:
        """True if one of these roles may act on tasks assigned to someone else."""
        return ADMIN in roles or any(self.roles[role].acts_for_others for role in roles if role in self.roles)

    def assignable_roles(self, kind: str | None = None) -> frozenset[str]:
        """The roles that may be given a task of ``kind`` (without a kind: of any kind) to work
        on: those granted a task action on it beyond looking at it."""
        return frozenset(name for name, role in self.roles.items() for grant in role.grants
                         if (kind is None or kind in grant.kinds) and set(grant.actions) - LOOKING)

    def sees_personal_data(self, roles: frozenset[str], kind: str | None = None) -> bool:
        """True if one of these roles that may read this kind sees applicants' personal data."""
        if ADMIN in roles:
            return True
        return any(self.roles[role].personal_data for role in roles if role in self.roles
                   and (kind is None or any(kind in g.kinds and "read" in g.actions for g in self.roles[role].grants)))


def load_policy(path: Path | str | None = None) -> Policy:
    path = Path(path or os.environ.get("LAMADI_POLICY_PATH") or DEFAULT_PATH)
    with path.open("rb") as file:
        return Policy.model_validate(tomllib.load(file))
