"""iadsim report: one self-contained report.html that shows every plot with no network."""

import base64
import re
import struct

from typer.testing import CliRunner

from iadsim.cli import app

runner = CliRunner()


def _png_sizes(page_html: str) -> list[tuple[int, int]]:
    """Width and height of each embedded PNG, read from its IHDR chunk (PNG spec 11.2.2)."""
    sizes = []
    for data in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page_html):
        raw = base64.b64decode(data)
        assert raw[:8] == b"\x89PNG\r\n\x1a\n"
        sizes.append(struct.unpack(">II", raw[16:24]))
    return sizes


def _open_offline(browser, path):
    """Open ``path`` with every request that is not the file itself or a data: URL refused,
    and return the page and the refused URLs."""
    page = browser.new_page()
    refused = []

    def route(r):
        url = r.request.url
        if url.startswith("data:") or url == path.as_uri():
            r.continue_()
        else:
            refused.append(url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, refused


def _check_images(page, expected):
    sizes = page.eval_on_selector_all(
        "img", "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight])"
    )
    assert len(sizes) == len(expected) > 0
    assert all(done and w > 0 and h > 0 for done, w, h in sizes)
    assert sorted((w, h) for _, w, h in sizes) == sorted(expected)


def test_study_report_shows_every_plot_offline(study_dir, browser):
    result = runner.invoke(app, ["report", str(study_dir)])
    assert result.exit_code == 0, result.output
    path = study_dir / "report.html"
    text = path.read_text()
    pngs = sorted(study_dir.glob("*.png"))
    expected = _png_sizes(text)
    assert len(expected) == len(pngs) > 0  # every figure of the study, embedded
    page, refused = _open_offline(browser, path)
    _check_images(page, expected)
    assert refused == []
    body = page.inner_text("body")
    assert "baseline" in body and "s300" in body
    assert "validated scenario SHA-256" in body and "estimate" in body
    page.close()


def test_run_report_has_provenance_and_plots(replay_run, replay_scenario, browser):
    import hashlib

    result = runner.invoke(app, ["report", str(replay_run)])
    assert result.exit_code == 0, result.output
    path = replay_run / "report.html"
    text = path.read_text()
    assert hashlib.sha256(replay_scenario.read_bytes()).hexdigest() in text
    page, refused = _open_offline(browser, path)
    _check_images(page, _png_sizes(text))
    assert refused == []
    page.close()


def test_report_refuses_a_folder_that_is_neither(tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2 and result.output.startswith("error: ")
