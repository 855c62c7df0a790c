"""End to end in a real headless browser: `iadsim view` on a run, the globe, the time slider,
a click on an interceptor and its details, and a screenshot checked to show a drawn globe."""

import os
import re
import subprocess
import sys
import time

import numpy as np
import pyarrow.parquet as pq
import pytest
from PIL import Image

from iadsim.web.app import viewer_built


@pytest.fixture(scope="module")
def viewer_url(replay_run, browser):
    if not viewer_built():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                "CI=true but the viewer's Cesium bundle is not built (npm ci && npm run build)"
            )
        pytest.skip("the viewer's Cesium bundle is not built here (npm ci && npm run build)")
    proc = subprocess.Popen(
        [sys.executable, "-m", "iadsim", "view", str(replay_run), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    try:
        assert match, line
        yield match.group(0)
    finally:
        proc.terminate()
        proc.wait(10)


def _interceptor_mid_flight(run_dir):
    t = pq.read_table(run_dir / "trajectories.parquet").to_pydict()
    rows = [i for i, k in enumerate(t["kind"]) if k == "interceptor"]
    name = t["entity_id"][rows[0]]
    times = [t["time_s"][i] for i in rows if t["entity_id"][i] == name]
    return name, round((times[0] + times[-1]) / 2.0)


def test_viewer_draws_the_globe_and_shows_an_interceptor(viewer_url, browser, replay_run, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    outside = []
    page.on("request", lambda r: None if r.url.startswith((viewer_url, "data:", "blob:"))
            else outside.append(r.url))  # fmt: skip
    page.goto(viewer_url)
    page.wait_for_function("window.iadsimViewer && (window.iadsimViewer.ready || "
                           "window.iadsimViewer.error)", timeout=60_000)  # fmt: skip
    assert page.evaluate("window.iadsimViewer.error") is None
    assert page.evaluate("window.iadsimViewer.entities") > 0
    page.wait_for_function("window.iadsimViewer.viewer.scene.globe.tilesLoaded", timeout=90_000)

    name, when = _interceptor_mid_flight(replay_run)
    page.locator("#time-slider").fill(str(when))
    page.wait_for_function(f"document.getElementById('time-label').textContent === 't = {when} s'")
    for layer in ("coverage", "face", "track", "threat", "event"):
        page.locator(f'#layers input[data-layer="{layer}"]').uncheck()
    xy = page.evaluate(
        """(id) => {
          const v = window.iadsimViewer.viewer;
          let entity = null;
          for (let i = 0; i < v.dataSources.length; i++) {
            entity = entity || v.dataSources.get(i).entities.getById(id);
          }
          v.scene.render();
          const p = entity.position.getValue(v.clock.currentTime);
          const w = Cesium.SceneTransforms.worldToWindowCoordinates(v.scene, p);
          return [w.x, w.y];
        }""",
        f"interceptor/{name}",
    )
    page.mouse.click(xy[0], xy[1])
    page.wait_for_function("document.getElementById('detail-body').dataset.entity !== undefined",
                           timeout=10_000)  # fmt: skip
    details = page.inner_text("#detail-body")
    assert name in details and "launched s" in details and "fired at track" in details

    for layer in ("coverage", "face", "track", "threat", "event"):
        page.locator(f'#layers input[data-layer="{layer}"]').check()
    time.sleep(0.5)
    shot = tmp_path / "viewer.png"
    page.screenshot(path=str(shot))
    page.close()
    assert outside == []  # nothing but the viewer's own server was asked for anything
    _assert_drawn_globe(shot)


def _assert_drawn_globe(path):
    """The globe area (left of the side panel, above the timeline) is a picture, not a
    blank or black page: varied pixels, mostly not black, with sea blue and land colours."""
    rgb = np.asarray(Image.open(path).convert("RGB"), float)[40:740, 180:900]
    assert rgb.std() > 20.0
    dark = (rgb.max(axis=-1) < 30).mean()
    assert dark < 0.3
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    sea = ((b > r + 20) & (b > g)).mean()
    land = ((g >= b) & (r > 60)).mean()
    assert sea > 0.05 and land > 0.05
