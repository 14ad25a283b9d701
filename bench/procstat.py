"""CPU time of process trees, read from /proc: what a service costs per filing.

A process's CPU is utime + stime of itself and every live descendant, plus cutime + cstime
(children already reaped: a finished PDF worker, say) of each of them, so a child that exits
between two readings moves from one term to the other and is never lost nor counted twice."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

TICK = 1.0 / os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


@dataclass(frozen=True)
class Stat:
    pid: int
    ppid: int
    cpu: float  # utime + stime, seconds
    children_cpu: float  # cutime + cstime: reaped children, seconds


def parse_stat(text: str) -> Stat:
    """One /proc/<pid>/stat line; the command name in parentheses may hold spaces and ')'."""
    pid = int(text.split(" ", 1)[0])
    fields = text[text.rindex(")") + 2:].split()
    # fields[0] is field 3 of proc(5) (state): ppid is field 4, utime..cstime fields 14..17.
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return Stat(pid, int(fields[1]), (utime + stime) * TICK, (cutime + cstime) * TICK)


def read_all(proc: Path = PROC) -> dict[int, Stat]:
    stats = {}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = parse_stat((entry / "stat").read_text())
            except (OSError, ValueError, IndexError):
                continue  # gone between listing and reading
    return stats


def tree(stats: dict[int, Stat], root: int) -> set[int]:
    """``root`` and its live descendants."""
    children: dict[int, list[int]] = {}
    for stat in stats.values():
        children.setdefault(stat.ppid, []).append(stat.pid)
    found, todo = set(), [root] if root in stats else []
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(children.get(pid, ()))
    return found


def tree_cpu(stats: dict[int, Stat], root: int) -> float:
    return sum(stats[pid].cpu + stats[pid].children_cpu for pid in tree(stats, root))


def cmdline(pid: int, proc: Path = PROC) -> str:
    try:
        return (proc / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


# A group gives, from one reading of /proc, the pids whose own CPU it counts (or a whole tree).
Group = Callable[[dict[int, Stat]], float]


def tree_group(root: Callable[[], int | None]) -> Group:
    """A process and its descendants (a service and its workers, a server and its helpers)."""
    def cpu(stats: dict[int, Stat]) -> float:
        pid = root()
        return tree_cpu(stats, pid) if pid else 0.0
    return cpu


def children_group(root: Callable[[], int | None]) -> Group:
    """A process's live descendants alone (the notifier's PDF worker, without its event loop)."""
    def cpu(stats: dict[int, Stat]) -> float:
        pid = root()
        return tree_cpu(stats, pid) - stats[pid].cpu - stats[pid].children_cpu if pid and pid in stats else 0.0
    return cpu


def own_group(pid: int) -> Group:
    """One process alone, not its children (the bench itself, whose children are measured apart)."""
    return lambda stats: stats[pid].cpu if pid in stats else 0.0


def matching_group(root: Callable[[], int | None], match: Callable[[str], bool]) -> Group:
    """The descendants of ``root`` whose command line matches (PostgreSQL backends of one database)."""
    def cpu(stats: dict[int, Stat]) -> float:
        pid = root()
        pids = tree(stats, pid) - {pid} if pid else set()
        return sum(stats[p].cpu + stats[p].children_cpu for p in pids if match(cmdline(p)))
    return cpu


class Meter:
    """Readings of named groups; ``since(reading)`` gives the seconds each used since then.
    A process seen in only one reading counts from zero (a backend opened meanwhile)."""

    def __init__(self, groups: dict[str, Group]):
        self.groups = groups

    def read(self) -> dict[str, float]:
        stats = read_all()
        return {name: group(stats) for name, group in self.groups.items()}

    def since(self, before: dict[str, float]) -> dict[str, float]:
        now = self.read()
        return {name: max(0.0, now[name] - before.get(name, 0.0)) for name in now}


def per_item_ms(seconds: dict[str, float], items: int, names: Iterable[str] | None = None) -> dict[str, float]:
    """CPU seconds of each group → milliseconds per item (filing, request)."""
    keys = list(names) if names is not None else list(seconds)
    return {name: 1000.0 * seconds.get(name, 0.0) / items if items else float("nan") for name in keys}
