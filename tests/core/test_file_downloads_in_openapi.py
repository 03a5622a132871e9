"""Every file the API hands out (PDF, CSV, XLSX, ZIP, JWT, ICS, evidence) is described with its media
type and a binary schema, and a client generated from the document by openapi-python-client keeps
each of those operations and returns the bytes."""
import json
import os
import subprocess
import sys
from pathlib import Path

FILE_TYPES = ("application/pdf", "text/csv", "application/zip", "application/jwt", "application/vc+jwt",
              "text/calendar", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def file_operations(document):
    """{operation id: [media types]} of every 200 answered with a file."""
    found = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue  # the path's own parameters
            content = operation.get("responses", {}).get("200", {}).get("content", {})
            files = [media for media in content if media in FILE_TYPES or media.startswith("image/")]
            if files:
                found[operation["operationId"]] = (path, content)
    return found


def test_every_download_has_a_binary_schema_and_a_generated_client_keeps_it(client, tmp_path):
    document = client.get("/api/v1/openapi.json").get_json()
    downloads = file_operations(document)
    expected_paths = {"/api/v1/credentials/{credential_id}.jwt", "/api/v1/me/transcripts/{year}.jwt",
                      "/api/v1/status-lists/{number}.jwt", "/api/v1/credentials/{credential_id}/certificate.pdf",
                      "/api/v1/me/cpd-profile.pdf", "/api/v1/me/cpd-records.csv", "/api/v1/me/export",
                      "/api/v1/events/{event_id}/calendar.ics", "/api/v1/events/{event_id}/attendees.csv",
                      "/api/v1/exports/attendance.xlsx"}
    assert expected_paths <= {path for path, _ in downloads.values()}
    for operation, (path, content) in downloads.items():
        for media, described in content.items():
            assert described.get("schema") == {"type": "string", "format": "binary"}, (path, media)

    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(document))
    # The generator reads bytes for octet-stream; a client author maps our file types to it (its
    # documented content_type_overrides), and each operation then returns a File.
    media = sorted({media for _, content in downloads.values() for media in content})
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"content_type_overrides": {m: "application/octet-stream" for m in media}}))
    generator = Path(sys.executable).with_name("openapi-python-client")
    made = subprocess.run([str(generator), "generate", "--path", str(spec), "--output-path", str(tmp_path / "client"),
                           "--meta", "none", "--config", str(config)], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    generated = "\n".join(path.read_text() for path in (tmp_path / "client").rglob("*.py"))
    for operation in downloads:
        module = next((tmp_path / "client").rglob(f"{operation}.py"), None)
        assert module is not None, f"the generated client lost {operation}"
        assert "File(" in module.read_text(), f"{operation} does not hand back the file's bytes"
    assert "class File" in generated
