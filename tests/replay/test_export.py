"""iadsim export: CZML (read back through czml3's model) and KML with time spans."""

import json
import xml.dom.minidom

import numpy as np
import pyarrow.parquet as pq
from czml3 import Document
from pyproj import Geod, Transformer
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.export.czml import covariance_axes, face_quaternions

runner = CliRunner()


def _expected_counts(run_dir):
    """Threats and interceptors from summary.json; tracks from the event log."""
    summary = json.loads((run_dir / "summary.json").read_text())
    events = pq.read_table(run_dir / "events.parquet").to_pydict()
    tracks = {
        n for n, k in zip(events["entity_id"], events["kind"], strict=False) if k == "track_start"
    }
    return summary["threats"], sum(summary["interceptors_fired"].values()), len(tracks)


def test_czml_reads_back_through_the_czml3_model(replay_run, tmp_path):
    out = tmp_path / "replay.czml"
    result = runner.invoke(app, ["export", str(replay_run), "--format", "czml", "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document.model_validate_json(out.read_text())
    kinds = [p.properties["kind"] for p in doc.packets[1:]]
    threats, interceptors, tracks = _expected_counts(replay_run)
    assert interceptors > 0 and tracks > 0
    assert kinds.count("threat") == threats
    assert kinds.count("interceptor") == interceptors
    assert kinds.count("track") == tracks
    assert sum(k in ("threat", "interceptor", "track") for k in kinds) == (
        threats + interceptors + tracks
    )
    assert doc.packets[0].clock is not None
    assert {"coverage", "face", "asset", "unit"} <= set(kinds)


def test_kml_has_a_track_per_entity_and_a_time_span_per_event(replay_run, tmp_path):
    out = tmp_path / "replay.kml"
    result = runner.invoke(app, ["export", str(replay_run), "--format", "kml", "--out", str(out)])
    assert result.exit_code == 0, result.output
    dom = xml.dom.minidom.parse(str(out))
    assert len(dom.getElementsByTagName("gx:Track")) == sum(_expected_counts(replay_run))
    events = pq.read_table(replay_run / "events.parquet").to_pydict()["kind"]
    marked = sum(k in ("kill", "leak", "miss") for k in events)
    assert len(dom.getElementsByTagName("TimeSpan")) == marked


def test_export_refuses_bad_input_in_one_line(replay_run, tmp_path):
    for args in (["--format", "shp"], ["--altitude-m", "77"], ["--target", "Nope"]):
        result = runner.invoke(app, ["export", str(replay_run), *args])
        assert result.exit_code == 2
        assert result.output.startswith("error: ") and "Traceback" not in result.output
    result = runner.invoke(app, ["export", str(tmp_path)])
    assert result.exit_code == 2 and "not a run folder" in result.output


def test_face_boresight_points_along_the_geodesic_azimuth():
    """The face's body x axis in Earth-fixed axes equals the direction to a point 1 km out
    along the same azimuth (pyproj's geodesic and its geodetic -> ECEF transform)."""
    lat, lon, az = 41.2, 28.9, 37.0
    q = face_quaternions(lat, lon, az)[0]
    x, y, z, w = q
    rot = np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
        [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
        [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
    ])  # fmt: skip
    lon2, lat2, _ = Geod(ellps="WGS84").fwd(lon, lat, az, 1000.0)
    ecef = Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
    p1 = np.array(ecef.transform(lon, lat, 0.0))
    p2 = np.array(ecef.transform(lon2, lat2, 0.0))
    direction = (p2 - p1) / np.linalg.norm(p2 - p1)
    assert np.dot(rot[:, 0], direction) > np.cos(np.deg2rad(0.1))


def test_covariance_axes_rebuild_the_covariance():
    cov = np.array([[400.0, 120.0, -30.0], [120.0, 225.0, 10.0], [-30.0, 10.0, 900.0]])
    cov6 = np.array([[cov[0, 0], cov[1, 1], cov[2, 2], cov[0, 1], cov[0, 2], cov[1, 2]]])
    sigma, axes = covariance_axes(cov6)
    rebuilt = axes[0] @ np.diag(sigma[0] ** 2) @ axes[0].T
    assert np.allclose(rebuilt, cov)
    assert np.linalg.det(axes[0]) > 0
    assert np.allclose(np.sort(sigma[0] ** 2), np.linalg.eigvalsh(cov))
