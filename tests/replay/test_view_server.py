"""The viewer's server: read-only, only the given folders' files, 404 for bad paths."""

import json

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from iadsim.web.app import create_app

TRAVERSALS = [
    "/api/folders/0/files/..%2F..%2F..%2Fetc%2Fpasswd",
    "/api/folders/0/files/%2e%2e/%2e%2e/etc/passwd",
    "/api/folders/0/files/%252e%252e%252fetc%252fpasswd",
    "/api/folders/0/files/..%5c..%5cetc%5cpasswd",
    "/api/folders/0/files/%2Fetc%2Fpasswd",
    "/api/folders/0/files//etc/passwd",
    "/api/folders/0/files/summary.json%00.png",
    "/api/folders/0/files/.hidden",
    "/api/folders/0/files/../scene.json",
    "/static/..%2F..%2Fweb%2Fapp.py",
    "/static/%2e%2e/app.py",
    "/static//etc/passwd",
    "/api/folders/-1/summary",
    "/api/folders/99/summary",
    "/api/folders/zero/summary",
]


@pytest.fixture(scope="module")
def client(replay_run, study_dir):
    (replay_run.parent / "secret.txt").write_text("outside the run folder")
    return TestClient(create_app([replay_run, study_dir]), raise_server_exceptions=False)


@pytest.mark.parametrize("url", TRAVERSALS)
def test_bad_paths_are_404_without_a_traceback(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "Traceback" not in r.text and "passwd" not in r.text and "outside" not in r.text


def test_a_link_out_of_the_folder_is_not_followed(client, replay_run):
    link = replay_run / "escape.txt"
    link.symlink_to(replay_run.parent / "secret.txt")
    try:
        assert client.get("/api/folders/0/files/escape.txt").status_code == 404
    finally:
        link.unlink()


def test_serves_the_folders_and_their_files(client, replay_run):
    info = client.get("/api/info").json()
    assert [f["kind"] for f in info["folders"]] == ["run", "study"]
    assert "engagement.png" in info["folders"][0]["files"]
    png = client.get("/api/folders/0/files/engagement.png")
    assert png.status_code == 200 and png.content == (replay_run / "engagement.png").read_bytes()
    summary = client.get("/api/folders/0/summary").json()
    assert summary == json.loads((replay_run / "summary.json").read_text())
    czml = client.get("/api/folders/0/replay.czml")
    assert czml.status_code == 200 and czml.json()[0]["id"] == "document"
    assert client.get("/api/folders/1/replay.czml").status_code == 404  # a study has none
    assert client.get("/").status_code == 200


def test_read_only_and_size_limits(client, replay_run):
    before = sorted(p.name for p in replay_run.iterdir())
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/api/info").status_code == 405
    assert client.request("GET", "/api/info", content=b"x" * 10).status_code == 413
    assert client.get("/api/info?q=" + "a" * 5000).status_code == 414
    assert sorted(p.name for p in replay_run.iterdir()) == before  # nothing written


def test_api_conforms_to_its_openapi(replay_run, study_dir):
    """Every documented endpoint (schemathesis, from the app's own OpenAPI document), with
    generated ids and file paths: no server error, and each answer (status, content type,
    body) as the document says."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app([replay_run, study_dir]))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        check()
