"""Physical-optics RCS against closed forms (Knott, Shaeffer & Tuley), the sphere against the
exact Mie series, and the two-angle tables against the catalog they are calibrated to."""

import numpy as np
import pytest
from scipy.integrate import quad

from iadsim.catalog import BANDS, load_catalog
from iadsim.radar.rcs import body_rcs_m2, rcs_m2
from iadsim.radar.rcs_table import load_rcs_table_csv
from iadsim.radar.signature import (
    edge_rcs_m2,
    ellipsoid_rcs_m2,
    mie_sphere_rcs_m2,
    plate_rcs_m2,
    sinc2_mean,
    threat_table,
)

LAMBDA = 0.03  # X band


def test_flat_plate_broadside_is_4_pi_a2_over_lambda2():
    # Knott, Shaeffer & Tuley, Radar Cross Section, 2nd ed., eq. for a flat plate at normal
    # incidence: sigma = 4 pi A^2 / lambda^2. A 1 m x 0.5 m plate in the y-z plane faces the
    # nose.
    sigma = plate_rcs_m2((0, 1.0, 0), (0, 0, 0.5), LAMBDA, 0.0, 0.0)
    assert sigma == pytest.approx(4 * np.pi * 0.5**2 / LAMBDA**2, rel=1e-12)


@pytest.mark.parametrize("theta_deg", [0.3, 0.86, 1.7, 5.0, 20.0])
def test_flat_plate_off_broadside_follows_the_sinc2_pattern(theta_deg):
    # Rotating in the plane of side a (length a): sigma = 4 pi A^2/lambda^2 cos^2(theta)
    # [sin(k a sin theta) / (k a sin theta)]^2 (Knott et al. sec. 5.3).
    a, b = 1.0, 0.5
    th = np.deg2rad(theta_deg)
    x = 2 * np.pi / LAMBDA * a * np.sin(th)
    expected = 4 * np.pi * (a * b) ** 2 / LAMBDA**2 * np.cos(th) ** 2 * (np.sin(x) / x) ** 2
    assert plate_rcs_m2((0, a, 0), (0, 0, b), LAMBDA, th, 0.0) == pytest.approx(expected, rel=1e-9)


def test_first_null_of_the_plate_is_at_sin_theta_lambda_over_2a():
    a = 1.0
    th = np.arcsin(LAMBDA / (2 * a))
    peak = plate_rcs_m2((0, a, 0), (0, 0, a), LAMBDA, 0.0, 0.0)
    assert plate_rcs_m2((0, a, 0), (0, 0, a), LAMBDA, th, 0.0) < 1e-20 * peak


def test_one_sided_plate_is_dark_from_behind():
    front = plate_rcs_m2((0, 1, 0), (0, 0, 1), LAMBDA, 0.0, 0.0, facing=(1, 0, 0))
    back = plate_rcs_m2((0, 1, 0), (0, 0, 1), LAMBDA, np.pi, 0.0, facing=(1, 0, 0))
    assert front > 0 and back == 0.0


@pytest.mark.parametrize("x0, width", [(0.0, 0.5), (0.3, 4.0), (7.0, 2.0), (-40.0, 90.0)])
def test_cell_mean_of_sinc2_matches_numerical_quadrature(x0, width):
    numeric = quad(lambda t: np.sinc(t / np.pi) ** 2, x0 - width / 2, x0 + width / 2,
                   limit=400)[0] / width  # fmt: skip
    assert sinc2_mean(x0, width) == pytest.approx(numeric, rel=1e-7)


def test_sphere_optical_region_is_pi_a2_and_matches_mie():
    # Geometric optics: sigma = pi a^2 for a sphere (Knott et al. table 5.1), the ka >> 1
    # limit of the exact Mie series, which oscillates about it by a few per cent.
    a = 0.5
    go = ellipsoid_rcs_m2((a, a, a), np.linspace(0, 3, 7), np.linspace(-1, 1, 7))
    assert np.allclose(go, np.pi * a**2)
    mie = [mie_sphere_rcs_m2(a, lam) for lam in (0.05, 0.03, 0.02)]  # ka = 63 ... 157
    assert np.allclose(mie, np.pi * a**2, rtol=0.03)


def test_mie_rayleigh_limit():
    # ka << 1: sigma = 9 pi k^4 a^6 (Rayleigh; Knott et al. sec. 3.6).
    a, lam = 0.002, 1.0
    k = 2 * np.pi / lam
    assert mie_sphere_rcs_m2(a, lam) == pytest.approx(9 * np.pi * k**4 * a**6, rel=2e-3)


def test_edge_broadside_is_l2_over_pi_and_narrows_with_frequency():
    # A 5 m edge along y facing forward: L^2/pi seen normal to it, a sinc^2 lobe of half
    # width ~ lambda / (2 L) around it.
    sig = edge_rcs_m2((0, -2.5, 0), (0, 2.5, 0), (1, 0, 0), LAMBDA, 0.0, 0.0)
    assert sig == pytest.approx(25.0 / np.pi)
    off = np.arcsin(LAMBDA / 5.0)  # first null: k L sin(az) = pi
    assert edge_rcs_m2((0, -2.5, 0), (0, 2.5, 0), (1, 0, 0), LAMBDA, off, 0.0) < 1e-20


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize("threat", ["F-35A", "F-16-Block70"])
def test_generated_table_reproduces_the_catalog_horizontal_sectors(catalog, threat):
    table = threat_table(catalog, threat)
    entry = catalog.threats[threat]
    assert table.estimate
    az = np.deg2rad(table.az_deg)
    folded = np.abs(np.angle(np.exp(1j * az), deg=True))
    horizontal = np.abs(table.el_deg) <= 10.0
    w = np.cos(np.deg2rad(table.el_deg[horizontal]))[:, None]
    for b, band in enumerate(BANDS):
        lin = 10 ** (table.dbsm[b][horizontal] / 10) * w
        for aspect, centre in (("nose", 0), ("beam", 90), ("tail", 180)):
            s = np.abs(folded - centre) <= 20
            mean_db = 10 * np.log10(lin[:, s].sum() / (w.sum() * s.sum()))
            assert mean_db == pytest.approx(getattr(entry.rcs_dbsm.value[band], aspect), abs=0.05)


def test_stealth_table_has_planform_aligned_spikes(catalog):
    # The wing leading edges (34 deg sweep) put a spike at body azimuth ~34 deg at X band,
    # well above the cells between the nose and it.
    table = threat_table(catalog, "F-35A")
    x = BANDS.index("X")
    el0 = np.flatnonzero(table.el_deg == -4)[0]
    row = table.dbsm[x, el0]
    spike = row[(table.az_deg >= 32) & (table.az_deg <= 36)].max()
    between = np.median(row[(table.az_deg >= 10) & (table.az_deg <= 24)])
    assert spike - between > 10.0


def test_coarse_fallback_matches_the_nose_beam_tail_model(catalog):
    entry = catalog.threats["TB2"]
    table = np.array([[getattr(entry.rcs_dbsm.value[b], a) for a in ("nose", "beam", "tail")]
                      for b in BANDS])  # fmt: skip
    az = np.deg2rad([0.0, 45.0, 90.0, 135.0, 180.0, 270.0])
    body = body_rcs_m2(table, 5, az, 0.0)
    old = rcs_m2(table[None], np.array([5]), np.abs(np.angle(np.exp(1j * az)))[None, :])[0]
    assert np.allclose(body, old)
    assert body[0] == pytest.approx(10 ** (entry.rcs_dbsm.value["X"].nose / 10))


def test_table_interpolation_is_periodic_and_exact_at_nodes(catalog):
    table = threat_table(catalog, "F-16-Block70")
    x = BANDS.index("X")
    e = np.flatnonzero(table.el_deg == -10)[0]
    assert table.rcs_dbsm(x, np.deg2rad(table.az_deg[7]), np.deg2rad(-10.0)) == pytest.approx(
        table.dbsm[x, e, 7]
    )
    assert table.rcs_dbsm(x, np.deg2rad(359.0), 0.0) == pytest.approx(
        0.5 * (table.dbsm[x, 45, -1] + table.dbsm[x, 45, 0])
    )


def test_csv_table_with_a_gap_names_file_and_cell(tmp_path):
    from iadsim.errors import ScenarioError

    lines = ["band,az_deg,el_deg,rcs_dbsm"]
    for az in range(0, 360, 30):
        for el in range(-90, 91, 30):
            if (az, el) != (60, 30):
                lines.append(f"X,{az},{el},-10")
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScenarioError) as err:
        load_rcs_table_csv(path, "flights[0].rcs_table", 1)
    msg = str(err.value)
    assert str(path) in msg and "flights[0].rcs_table" in msg and "az_deg 60, el_deg 30" in msg
    lines.append("X,60,30,-10")
    path.write_text("\n".join(lines) + "\n")
    full = load_rcs_table_csv(path, "flights[0].rcs_table", 1)
    assert full.rcs_dbsm(BANDS.index("X"), 1.0, 0.2) == pytest.approx(-10.0)


def test_mirrored_cells_equal_direct_evaluation_of_the_left_parts():
    from iadsim.radar.signature import AIRFRAMES, airframe_cells_m2, part_rcs_m2, table_grid

    airframe = AIRFRAMES["F-35A"]()
    cells = airframe_cells_m2(airframe, 0.1, 10.0)
    az_deg, el_deg = table_grid(10.0)
    az, el = np.meshgrid(np.deg2rad(az_deg), np.deg2rad(el_deg))
    left = airframe.parts[len(airframe.right)]
    direct = part_rcs_m2(left, 0.1, az, el, (np.deg2rad(10.0),) * 2)
    assert np.allclose(cells[len(airframe.right)], direct, rtol=1e-9, atol=1e-15)
