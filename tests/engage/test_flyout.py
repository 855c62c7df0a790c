"""Proportional navigation and the flown point mass against outside references.

Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed.:
- ch. 2, zero-lag PN: heading error HE gives n_c(t) = -Vm HE N' / t_F (1 - t / t_F)^(N' - 2),
  a target step manoeuvre n_T gives n_c(t) = N' / (N' - 2) n_T (1 - (1 - t / t_F)^(N' - 2)),
  both with zero miss;
- ch. 3 (method of adjoints, single time-constant guidance system, N' = 3): miss due to a
  step manoeuvre M = n_T T^2 x^2 e^-x / 2, due to heading error M = -Vm HE T x e^-x (1 - x/2),
  x = t_F / T (the inverse Laplace transforms of n_T / s^3 (sT / (1 + sT))^3 and
  -Vm HE / s^2 (sT / (1 + sT))^3).
The flown trajectory with thrust, drag and gravity is checked against scipy's solve_ivp.
"""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from iadsim.engage import flyout
from iadsim.engage import flyout_kernel as kern
from iadsim.engage.airframe import airframe_row, build_airframes
from iadsim.engage.atmosphere import density_kg_m3, speed_of_sound_mps
from iadsim.sim import streams
from iadsim.truth.trajectories import G0

MACH = np.array([0.0, 0.8, 1.2, 2.0, 4.0, 8.0])
CD0 = np.array([0.3, 0.35, 0.7, 0.55, 0.4, 0.3])


def _free_space_airframe(nav, tau):
    row = airframe_row(mass_kg=100.0, boost_impulse_n_s=0.0, boost_s=1.0, diameter_m=0.2,
                       cn_alpha=20.0, alpha_max_rad=0.4, max_accel=1e6, loft_ceiling_m=1e5,
                       tau_s=tau, nav=nav)  # fmt: skip
    return build_airframes([row], [(MACH, CD0)], ["test"])


def _fly(nav, tau, heading_error_rad=0.0, target_accel=0.0, vm=1000.0, r0=10_000.0, h=1e-3):
    """Fly a missile at a stationary target r0 ahead (optionally with a lateral step
    manoeuvre); returns (times, |commanded acceleration|, miss)."""
    airframe = _free_space_airframe(nav, tau)
    missiles = flyout.Interceptors()
    missiles.launch(
        pos=[[0.0, 0.0, 0.0]],
        vel=[[vm * np.cos(heading_error_rad), vm * np.sin(heading_error_rad), 0.0]],
        launch_s=[0.0], max_flight_s=[100.0], target=[0], missile_type=[0], unit=[0],
        track_key=[0],
    )  # fmt: skip
    times, accels = [], []
    t = 0.0
    while True:
        target = np.array([[r0, 0.5 * target_accel * t * t, 0.0]])
        tvel = np.array([[0.0, target_accel * t, 0.0]])
        out = flyout.step(missiles, np.array([0]), t, h, target, tvel, airframe, gravity=False)
        times.append(t)
        accels.append(np.linalg.norm(missiles.acc[0]))
        t += h
        if out["closest"][0]:
            return np.array(times), np.array(accels), out["miss_m"][0]


@pytest.mark.parametrize("nav_constant", [3.0, 4.0])
def test_zero_lag_heading_error_matches_closed_form(nav_constant):
    he = np.deg2rad(3.0)
    vm, r0 = 1000.0, 10_000.0
    times, accels, miss = _fly(nav_constant, 0.0, heading_error_rad=he, vm=vm, r0=r0)
    t_final = r0 / vm
    for frac in (0.05, 0.25, 0.5, 0.75):
        expected = vm * he * nav_constant / t_final * (1.0 - frac) ** (nav_constant - 2.0)
        got = np.interp(frac * t_final, times, accels)
        assert got == pytest.approx(expected, rel=0.03), frac
    assert miss < 1.0


@pytest.mark.parametrize("nav_constant", [3.0, 4.0])
def test_zero_lag_step_manoeuvre_matches_closed_form(nav_constant):
    n_t, vm, r0 = 30.0, 1000.0, 10_000.0
    times, accels, miss = _fly(nav_constant, 0.0, target_accel=n_t, vm=vm, r0=r0)
    t_final = r0 / vm
    for frac in (0.25, 0.5, 0.75):
        expected = (
            nav_constant / (nav_constant - 2.0) * n_t * (1.0 - (1.0 - frac) ** (nav_constant - 2.0))
        )
        got = np.interp(frac * t_final, times, accels)
        assert got == pytest.approx(expected, rel=0.04), frac
    assert miss < 1.0


def test_single_lag_step_manoeuvre_miss_matches_adjoint_closed_form():
    # N' = 3, T = 0.5 s, t_F = 1 s (x = 2): M = n_T T^2 x^2 e^-x / 2.
    n_t, tau, vm, t_final = 100.0, 0.5, 3000.0, 1.0
    _, _, miss = _fly(3.0, tau, target_accel=n_t, vm=vm, r0=vm * t_final, h=2e-4)
    x = t_final / tau
    expected = n_t * tau**2 * x**2 * np.exp(-x) / 2.0
    assert miss == pytest.approx(expected, rel=0.1)


def test_single_lag_heading_error_miss_matches_adjoint_closed_form():
    # N' = 3, T = 0.5 s, t_F = 1.5 s (x = 3): |M| = Vm HE T x e^-x |1 - x / 2|.
    he, tau, vm, t_final = 0.02, 0.5, 3000.0, 1.5
    _, _, miss = _fly(3.0, tau, heading_error_rad=he, vm=vm, r0=vm * t_final, h=2e-4)
    x = t_final / tau
    expected = vm * he * tau * x * np.exp(-x) * abs(1.0 - x / 2.0)
    assert miss == pytest.approx(expected, rel=0.1)


def test_straight_boosted_flight_matches_solve_ivp():
    # N' = 0 leaves only the gravity compensation: a straight climb at gamma under thrust,
    # zero-lift and induced drag (the lift that holds g cos(gamma)), gravity and a falling
    # mass; integrated independently with solve_ivp (RK45, rtol 1e-9).
    gamma, isp = np.deg2rad(40.0), 240.0
    row = airframe_row(mass_kg=900.0, boost_impulse_n_s=1.2e6, boost_s=10.0,
                       sustain_impulse_n_s=0.3e6, sustain_s=10.0, isp_s=isp, diameter_m=0.4,
                       cn_alpha=25.0, alpha_max_rad=0.5, max_accel=1e4, loft_ceiling_m=1e5,
                       tau_s=0.0, nav=0.0)  # fmt: skip
    airframe = build_airframes([row], [(MACH, CD0)], ["test"])
    p = airframe.params[0]
    area = np.pi * 0.2**2
    v0, t_end, h = 300.0, 40.0, 0.05
    missiles = flyout.Interceptors()
    missiles.launch(pos=[[0.0, 0.0, 0.0]], vel=[[v0 * np.cos(gamma), 0.0, v0 * np.sin(gamma)]],
                    launch_s=[0.0], max_flight_s=[100.0], target=[0], missile_type=[0],
                    unit=[0], track_key=[0])  # fmt: skip
    far = np.array([[1e9 * np.cos(gamma), 0.0, 1e9 * np.sin(gamma)]])
    for k in range(int(t_end / h)):
        flyout.step(missiles, np.array([0]), k * h, h, far, np.zeros((1, 3)), airframe,
                    homing=np.array([False]))  # fmt: skip

    def rhs(t, y):
        v, s = y
        alt = s * np.sin(gamma)
        burning_b, burning_s = t < 10.0, 10.0 <= t < 20.0
        thrust = 1.2e5 * burning_b + 0.3e5 * burning_s
        mass = 900.0 - (1.2e5 * min(t, 10.0) + 0.3e5 * min(max(t - 10.0, 0.0), 10.0)) / (
            isp * 9.80665
        )
        q = 0.5 * density_kg_m3(alt) * v * v
        cd0 = np.interp(v / speed_of_sound_mps(alt), MACH, CD0)
        cl = mass * G0 * np.cos(gamma) / (q * area)
        drag = q * area * (cd0 + cl * cl / p[kern.CN_ALPHA])
        return [(thrust - drag) / mass - G0 * np.sin(gamma), v]

    ref = solve_ivp(rhs, (0.0, t_end), [v0, 0.0], rtol=1e-9, atol=1e-6, max_step=0.01)
    speed = np.linalg.norm(missiles.vel[0])
    travelled = np.linalg.norm(missiles.pos[0])
    assert speed == pytest.approx(ref.y[0, -1], rel=0.005)
    assert travelled == pytest.approx(ref.y[1, -1], rel=0.005)
    direction = missiles.pos[0] / travelled
    assert np.arcsin(direction[2]) == pytest.approx(gamma, abs=1e-3)


def test_kernel_draws_equal_the_engine_streams():
    key = streams.replication_keys([7])[0]
    for counters in [(1, 0, 0), (3, 17, 5), (12, 40_000, 2)]:
        assert kern.uniform3(key, kern.SEEKER_STREAM, *counters) == streams.uniform(
            key, streams.SEEKER, *counters
        )
    assert kern.SEEKER_STREAM == streams.SEEKER


def test_acceleration_limit_is_respected():
    acc = flyout.pn_acceleration(
        np.array([[1000.0, 0, 0]]), np.array([[-500.0, 300.0, 0]]),
        np.array([[500.0, 0, 0]]), 4.0, [50.0],
    )  # fmt: skip
    assert np.linalg.norm(acc) == pytest.approx(50.0)


def test_closest_approach_inside_a_step():
    # Relative position (100, 10), velocity (-1000, 0): CPA after 0.1 s at 10 m.
    t_star, miss = flyout.closest_approach(
        np.array([[100.0, 10.0, 0]]), np.array([[-1000.0, 0, 0]]), 0.5
    )
    assert t_star[0] == pytest.approx(0.1)
    assert miss[0] == pytest.approx(10.0)
