"""The scanning sensor against closed forms and statistics of its draws.

The draws go through :func:`iadsim.sim.scan.detect`, the engine's own random path: each
trial is one replication of the same scan (its own counter-based stream)."""

import copy

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.geo import radar_geometry
from iadsim.radar.interference import Environment
from iadsim.radar.sensor import pair_snr_db, scan_looks
from iadsim.scenario.schema import Scenario
from iadsim.sim import streams
from iadsim.sim.scan import detect
from iadsim.sim.world import build_world

K = 4.0 / 3.0
SCENARIO = {
    "name": "sensor test",
    "duration_s": 60.0,
    "defended_assets": [{"name": "Site", "lat_deg": 41.0, "lon_deg": 29.0}],
    "fire_units": [{"name": "P", "system": "Patriot", "lat_deg": 41.0, "lon_deg": 29.0,
                    "sector_center_deg": 0.0}],
    "threats": [{"name": "f", "type": "F-16-Block70",
                 "route": [{"lat_deg": 42.0, "lon_deg": 29.0, "alt_m": 8000.0},
                           {"lat_deg": 41.1, "lon_deg": 29.0, "alt_m": 8000.0}]}],
}  # fmt: skip


@pytest.fixture
def radars():
    world = build_world(Scenario.model_validate(SCENARIO), load_catalog())
    return copy.deepcopy(world.radars)


def _scan(radars, xyz, vel, table, trials, seed, jamming=None, present=True):
    """``trials`` replications of one scan of radar 0 over the targets, drawn as the engine
    draws them (:func:`iadsim.sim.scan.detect`); returns the detections and their
    replication."""
    idx, n = np.array([0]), len(xyz)
    looks = scan_looks(radars, idx, xyz, vel, table, np.ones(n, int), K, None, jamming,
                       sector=False)  # fmt: skip
    keys = streams.replication_keys(np.random.SeedSequence(seed).spawn(trials))
    seen = np.full((trials, 1, n), present)
    centre = np.full((trials, 1), radars.sector_center_rad[0])
    operating = np.ones((trials, 1), bool)
    return detect(radars, keys, 7, looks, np.arange(n), seen, centre, operating, n, K)


def _target(range_m, alt_m=8000.0):
    xyz = np.array([[0.0, range_m, alt_m]])
    vel = np.array([[0.0, -250.0, 0.0]])  # nose-on
    table = np.zeros((1, 7, 3))  # 0 dBsm everywhere
    return xyz, vel, table


def test_swerling1_single_pulse_pd_is_pfa_to_the_one_over_one_plus_snr(radars):
    # Swerling 1, one pulse: Pd = Pfa^(1 / (1 + SNR)) (DiFranco & Rubin; Richards eq. 6.99).
    radars.n_pulses[:] = 1
    xyz, vel, table = _target(120_000.0)
    geometry = radar_geometry(radars.xyz[[0], None, :], xyz[None], K)
    snr = 10.0 ** (pair_snr_db(radars, np.array([0]), geometry, xyz, vel, table, K)[0, 0] / 10)
    expected = radars.pfa[0] ** (1.0 / (1.0 + snr))
    radars.resolution_cells[:] = 0.0  # no false alarms in this count
    trials = 4000
    hits = len(_scan(radars, xyz, vel, table, trials, seed=5)[0])
    sigma = np.sqrt(trials * expected * (1 - expected))
    assert 0.05 < expected < 0.95
    assert abs(hits - trials * expected) < 4 * sigma


def test_measurement_noise_shrinks_with_snr_as_beamwidth_over_root_two_snr(radars):
    radars.resolution_cells[:] = 0.0
    xyz, vel, table = _target(40_000.0)
    dets, _ = _scan(radars, xyz, vel, table, 3000, seed=9)
    az, snr_db = dets.azimuth_rad, dets.snr_db
    true_az = float(radar_geometry(radars.xyz[0], xyz[0], K)["azimuth_rad"])
    spread = np.sqrt(2 * 10 ** (snr_db / 10) * radars.n_pulses[0])
    z = np.angle(np.exp(1j * (az - true_az))) / (radars.beamwidth_az_rad[0] / spread)
    assert len(z) > 2000
    assert np.std(z) == pytest.approx(1.0, abs=0.06)


def test_false_alarm_count_is_pfa_times_cells(radars):
    xyz, vel, table = _target(40_000.0)
    dets, rep = _scan(radars, xyz, vel, table, 2000, seed=2, present=False)
    assert np.all(dets.truth == -1)
    counts = np.bincount(rep, minlength=2000)
    expected = radars.pfa[0] * radars.resolution_cells[0]
    assert np.mean(counts) == pytest.approx(expected, rel=0.1)
    assert np.var(counts) == pytest.approx(expected, rel=0.2)  # Poisson


def _detections(radars, xyz, vel, table, env=None, ssj=None, trials=400, seed=3):
    radars.resolution_cells[:] = 0.0
    jamming = None
    if env is not None:
        jamming = (env, np.array([0.0 if ssj is None else ssj]), np.array([100e6]))
    return len(_scan(radars, xyz, vel, table, trials, seed, jamming)[0])


def test_self_screening_jammer_denies_detection_until_burn_through(radars):
    # J/S grows as R^2 (Adamy, EW 101, ch. 9): a 5 W jammer that hides the target at 100 km
    # is burned through at 5 km.
    far, near = _target(100_000.0), _target(5_000.0, alt_m=2000.0)
    env = Environment()
    assert _detections(radars, *far) > 150  # Pd ~ 0.5 at this range without the jammer
    assert _detections(radars, *far, env=env, ssj=5.0) < 20
    assert _detections(radars, *near, env=env, ssj=5.0) > 300


def test_stand_off_jammer_hurts_more_in_the_main_beam(radars):
    from iadsim.geo import polar_to_map

    xyz, vel, table = _target(100_000.0)
    los = radar_geometry(radars.xyz[0], xyz[0], K)
    behind = polar_to_map(radars.xyz[0], 200_000.0, los["azimuth_rad"], los["elevation_rad"], K)
    in_beam = Environment(
        jammer_xyz=behind.reshape(1, 3),  # on the target's line of sight, behind it
        jammer_erp_w=np.array([50.0]), jammer_bandwidth_hz=np.array([100e6]),
    )  # fmt: skip
    sidelobe = copy.deepcopy(in_beam)
    sidelobe.jammer_xyz = np.array([[140_000.0, 140_000.0, 8000.0]])  # 45 deg off the target
    clear = _detections(radars, xyz, vel, table)
    side = _detections(radars, xyz, vel, table, env=sidelobe)
    main = _detections(radars, xyz, vel, table, env=in_beam)
    # The sidelobes are 30 dB down: the same jammer barely matters there.
    assert main < 0.1 * clear
    assert side > 0.5 * clear


def test_clutter_masks_a_low_target_unless_doppler_filters_it(radars):
    # 6 km: inside the 5 m mast's horizon (9 km), so the surface under the target is lit.
    xyz, vel, table = _target(6_000.0, alt_m=30.0)
    table = table - 20.0  # a -20 dBsm cruise-missile-like target
    clear = _detections(radars, xyz, vel, table)
    cluttered = _detections(radars, xyz, vel, table, env=Environment(clutter_gamma_db=-10.0))
    filtered = _detections(
        radars, xyz, vel, table, env=Environment(clutter_gamma_db=-10.0, clutter_improvement_db=60)
    )
    assert cluttered < 0.2 * clear
    assert filtered > 0.8 * clear


def test_crossing_target_fades_in_the_doppler_notch(radars):
    # The MPQ-65 blanks +-10 m/s of radial speed (catalog): a target crossing at right angles
    # (v_r = 0) loses GAIN_FLOOR (-60 dB); flying in at 250 m/s it is not in the notch.
    from iadsim.radar.doppler import GAIN_FLOOR

    xyz = np.array([[0.0, 60_000.0, 8000.0], [0.0, 60_000.0, 8000.0]])
    vel = np.array([[250.0, 0.0, 0.0], [0.0, -250.0, 0.0]])  # crossing, inbound
    table = np.zeros((2, 7, 3))
    geometry = radar_geometry(radars.xyz[[0], None, :], xyz[None], K)
    with_doppler = pair_snr_db(radars, np.array([0]), geometry, xyz, vel, table, K)[0]
    radars.doppler_on[:] = False
    without = pair_snr_db(radars, np.array([0]), geometry, xyz, vel, table, K)[0]
    assert with_doppler[0] - without[0] == pytest.approx(10 * np.log10(GAIN_FLOOR), abs=0.5)
    assert with_doppler[1] == pytest.approx(without[1], abs=1e-9)


def test_sea_skimmer_is_seen_in_lobes_not_to_the_horizon(radars):
    # A 30 m target over the sea from a 5 m Patriot mast: without the surface it is seen
    # (Pd > 0.9 at a -10 dBsm RCS) out to the horizon; with it the SNR swings through lobes
    # and nulls and falls far short near the horizon (Blake 1980, ch. 8).
    from iadsim.radar.detection import detection_probability
    from iadsim.radar.horizon import horizon_range_m
    from iadsim.radar.multipath import sea_water_permittivity

    radars.surface_on[:] = True
    radars.surface_eps[:] = sea_water_permittivity(radars.freq_hz[0])
    radars.surface_roughness_m[:] = 0.1
    radars.doppler_on[:] = False
    horizon = float(horizon_range_m(5.0, 30.0, K))
    ranges = np.linspace(1_000.0, 0.98 * horizon, 400)
    xyz = np.stack([np.zeros_like(ranges), ranges, np.full_like(ranges, 30.0)], axis=-1)
    vel = np.tile([0.0, -250.0, 0.0], (len(ranges), 1))
    table = np.full((len(ranges), 7, 3), -10.0)  # a cruise-missile-size target
    geometry = radar_geometry(radars.xyz[[0], None, :], xyz[None], K)
    snr = pair_snr_db(radars, np.array([0]), geometry, xyz, vel, table, K)[0]
    radars.surface_on[:] = False
    free = pair_snr_db(radars, np.array([0]), geometry, xyz, vel, table, K)[0]
    pd = detection_probability(snr, radars.pfa[0], int(radars.n_pulses[0]), 1)
    pd_free = detection_probability(free, radars.pfa[0], int(radars.n_pulses[0]), 1)
    assert np.all(pd_free > 0.9)
    gain = snr - free
    assert gain.max() > 8.0 and gain.min() < -20.0  # lobes up to +12 dB, deep nulls
    near = ranges > 0.9 * horizon
    assert np.all(gain[near] < -20.0) and pd[near].max() < 0.1
