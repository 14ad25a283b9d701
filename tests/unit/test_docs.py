"""The docs lead somewhere. Every relative link in README.md and docs/*.md resolves to a file of
the repository, and a ``#anchor`` to a heading of that page (GitHub's slug rules). Every
``docs/<page>.md#anchor`` the code cites resolves. No file cites the old design brief, which was
never in the repository: the design is docs/architecture.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
OLD_BRIEF = "DESIGN" + ".md"  # spelt in two parts, so that this file does not cite it
NOT_THE_REPOSITORY = {".git", ".venv", "venv", "var", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache",
                      ".mypy_cache"}
CODE_SUFFIXES = {".py", ".toml", ".sql", ".md", ".html", ".j2", ".yaml", ".yml", ".sh", ".cfg", ".txt", ".po"}
CODE_NAMES = {"Makefile", ".importlinter"}

FENCE = re.compile(r"^ {0,3}(```|~~~)")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
CITED_PAGE = re.compile(r"(?<![\w/.-])docs/([\w./-]+?\.md)(?:#([\w-]+))?")


def outside_code_blocks(text: str) -> Iterator[str]:
    """The lines of a Markdown text that are not inside a fenced code block."""
    fence = None
    for line in text.splitlines():
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
        elif fence is not None and line.lstrip().startswith(fence):
            fence = None
        elif fence is None:
            yield line


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: the text as shown, lower case, without punctuation but
    hyphens and underscores, spaces turned into hyphens."""
    text = CODE_SPAN.sub(lambda match: match.group(2), heading)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link shows its text
    text = re.sub(r"<[^>]+>", "", text)  # HTML tags show nothing
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading's anchor in a page; a repeated one gets -1, -2… as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for line in outside_code_blocks(page.read_text(encoding="utf-8")):
        heading = HEADING.match(line)
        if heading is None:
            continue
        base = slug(heading.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def link_targets(page: Path) -> Iterator[str]:
    """Every link target of a page (Markdown inline and reference links, HTML href and src),
    outside code blocks and code spans."""
    for line in outside_code_blocks(page.read_text(encoding="utf-8")):
        line = CODE_SPAN.sub("", line)
        yield from INLINE_LINK.findall(line)
        yield from REFERENCE_LINK.findall(line)
        yield from HTML_LINK.findall(line)


def broken_links(page: Path, root: Path) -> list[str]:
    """The relative links of ``page`` that lead nowhere, each as a sentence."""
    problems = []
    for target in link_targets(page):
        if SCHEME.match(target):
            continue  # another site, or mailto: not ours to check
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / unquote(path_part)).resolve() if path_part else page
        if not destination.is_relative_to(root.resolve()):
            problems.append(f"{target}: outside the repository")
        elif not destination.exists():
            problems.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            problems.append(f"{target}: no heading #{anchor} in {destination.relative_to(root.resolve())}")
    return problems


def repository_files(root: Path) -> Iterator[Path]:
    for path in root.iterdir():
        if path.name in NOT_THE_REPOSITORY:
            continue
        if path.is_dir() and not path.is_symlink():
            yield from repository_files(path)
        elif path.is_file():
            yield path


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading_of_the_repository(page):
    assert broken_links(page, ROOT) == []


def test_the_link_checker_finds_a_missing_file_and_a_missing_heading(tmp_path):
    (tmp_path / "guide").mkdir()
    (tmp_path / "code.py").write_text("")
    (tmp_path / "guide" / "other.md").write_text("# Other page\n\n## A `code` heading, twice\n\n## A `code` heading, twice\n")
    page = tmp_path / "guide" / "page.md"
    page.write_text(
        "# Page\n\n## Here\n\n"
        "[fine](other.md) [fine](other.md#a-code-heading-twice-1) [fine](#here) [fine](../code.py)\n"
        "[away](https://example.org/nowhere.md) `[in code](missing.md)`\n"
        "```\n[in a block](missing.md)\n```\n"
        "[gone](missing.md) [no heading](other.md#nowhere) ![no picture](shot.png) [up](../../x.md)\n"
        '<img src="gone.png"> [no heading here](#there)\n'
    )
    assert broken_links(page, tmp_path) == [
        "missing.md: no such file",
        "other.md#nowhere: no heading #nowhere in guide/other.md",
        "shot.png: no such file",
        "../../x.md: outside the repository",
        "#there: no heading #there in guide/page.md",
        "gone.png: no such file",
    ]


@pytest.mark.parametrize(("heading", "expected"), [
    ("The shape of a service", "the-shape-of-a-service"),
    ("What `make bench` runs", "what-make-bench-runs"),
    ("The agency's identity and the portal's settings", "the-agencys-identity-and-the-portals-settings"),
    ("Past one machine: instances, queues, poolers, deployment", "past-one-machine-instances-queues-poolers-deployment"),
    ("Lamadi — لامادي", "lamadi--لامادي"),
    ("A [linked](x.md) word_with_underscores", "a-linked-word_with_underscores"),
])
def test_anchors_follow_githubs_slug_rules(heading, expected):
    assert slug(heading) == expected


def test_every_docs_page_and_anchor_the_code_cites_exists():
    problems = []
    for path in repository_files(ROOT):
        if path.suffix not in CODE_SUFFIXES and path.name not in CODE_NAMES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for page_name, anchor in CITED_PAGE.findall(text):
            page = ROOT / "docs" / page_name
            where = f"{path.relative_to(ROOT)} cites docs/{page_name}{'#' + anchor if anchor else ''}"
            if not page.is_file():
                problems.append(f"{where}: no such page")
            elif anchor and anchor not in anchors(page):
                problems.append(f"{where}: no such heading")
    assert problems == []


def test_no_file_cites_the_old_design_brief():
    citing = [str(path.relative_to(ROOT)) for path in repository_files(ROOT)
              if OLD_BRIEF.encode() in path.read_bytes()]
    assert citing == [], f"{OLD_BRIEF} is not in the repository: cite docs/architecture.md instead"
