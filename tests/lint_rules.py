"""A contract type for import-linter (.importlinter, run by `make lint`): no module imports a
module whose dotted name matches a pattern. Its own wildcards replace whole names only, so they
cannot say "any test module" (``test_*``); here ``*`` is fnmatch's and crosses dots.

The tests use it to keep what they share out of test modules and conftests: a test module that
imports another (or a conftest) makes that module a library nobody knows they maintain."""

from __future__ import annotations

from fnmatch import fnmatchcase

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


class ForbiddenPatternContract(Contract):
    """``importers`` (packages, with all they hold) import no module matching one of ``patterns``."""

    type_name = "forbidden_pattern"

    importers = fields.ListField(subfield=fields.ModuleField())
    patterns = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        importers = {name for package in self.importers
                     for name in (package.name, *graph.find_descendants(package.name))}
        found = []
        for importer in sorted(importers):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if any(fnmatchcase(imported, pattern) for pattern in self.patterns):
                    lines = [d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported)]
                    found.append((importer, imported, lines))
        return ContractCheck(kept=not found, metadata={"imports": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["imports"]:
            where = ", ".join(f"l.{line}" for line in lines)
            output.print_error(f"{importer} -> {imported} ({where})", bold=False)
            output.new_line()
