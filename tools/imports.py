"""The import picture: which package of cpd imports which, from the source (ast), and every import
that runs against the layering of the design (a domain importing one above it; core, web or notices
importing a domain). Run: python tools/imports.py [--strict] (with --strict it exits 1 on any).

Function-local imports count as much as module-level ones: a domain that reaches up inside a
function still depends on the one above."""
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "cpd"
GROUND = ("core", "web", "notices")
# Lowest first (the design's "Domains, lowest first"); a domain may import those before it.
DOMAINS = ("members", "auth", "records", "events", "sigs", "payments", "organisations", "mentoring",
           "publications", "engagement", "surveys", "registration", "revalidation", "credentials", "integrations",
           "metrics", "exports", "privacy", "home", "operations", "demo")


def package_of(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "cpd" else None


def imports_of(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno
            for alias in node.names:
                yield f"{node.module}.{alias.name}", node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno


def picture():
    edges, against = defaultdict(set), []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT.parent)
        here = relative.parts[1] if len(relative.parts) > 2 else None
        if here is None:
            continue  # cpd/__init__.py and extensions.py: the factory wires everything
        for module, line in imports_of(path):
            there = package_of(module)
            if there is None or there == here or there == "extensions" or there not in (*GROUND, *DOMAINS):
                continue
            edges[here].add(there)
            if _against(here, there):
                against.append(f"{relative}:{line}: {here} imports {there}")
    return edges, sorted(set(against))


def _against(here, there):
    if here in GROUND:
        return there not in GROUND or (here, there) in (("core", "web"), ("core", "notices"))
    if there in GROUND:
        return False
    if here not in DOMAINS or there not in DOMAINS:
        return False
    return DOMAINS.index(there) > DOMAINS.index(here)


def main():
    edges, against = picture()
    for package in sorted(edges):
        print(f"{package:14} -> {', '.join(sorted(edges[package]))}")
    print(f"\n{len(against)} imports against the layering")
    for line in against:
        print("  " + line)
    if "--strict" in sys.argv and against:
        sys.exit(1)


if __name__ == "__main__":
    main()
