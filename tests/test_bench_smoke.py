"""The benchmark still runs: a tiny scale, end to end (the load scenarios too when wrk is here)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_benchmark_runs_at_a_tiny_scale(tmp_path):
    output = tmp_path / "results.md"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    command = [sys.executable, "-m", "bench.run", "--scale", "0.002", "--duration", "1", "--output", str(output),
               "--sqlite", str(tmp_path / "bench.sqlite3")]
    if shutil.which("wrk") is None:
        command.append("--no-http")
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    text = output.read_text()
    assert "## SQLite" in text
    assert "| KPIs of the current year" in text and "| attendance export" in text
    if shutil.which("wrk"):
        assert "| KPIs of a closed year" in text
    assert "Export peak memory" in text
    if shutil.which("wrk"):
        assert "Overbooked events after the booking rush: 0." in text
