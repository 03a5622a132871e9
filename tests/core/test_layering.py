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
