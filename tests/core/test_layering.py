"""The design's layering, read from the source: core, web and notices import no domain, and no domain
imports one above it (tools/imports.py draws the whole picture)."""
import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "imports.py"


def test_no_import_runs_against_the_layering():
    spec = importlib.util.spec_from_file_location("import_picture", TOOL)
    picture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(picture)
    edges, against = picture.picture()
    assert against == []
    assert edges["notices"] <= {"core"} and edges["web"] <= {"core"} and edges.get("core", set()) == set()
    assert "sigs" not in edges["events"] and "privacy" not in edges["members"]


def test_no_migration_imports_the_apps_code():
    """A revision writes its seed rows out; it may use the core column types, nothing else of the app."""
    import ast

    versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    found = []
    for path in sorted(versions.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            found += [f"{path.name}: {name}" for name in names
                      if name.startswith("cpd") and name not in ("cpd.core.models",)]
    assert found == []
