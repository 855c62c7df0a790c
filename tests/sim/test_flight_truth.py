"""The threat's truth over a tick, as the end game sees it: the sampled path's own curvature."""

import numpy as np
import pytest

from iadsim.sim.flight import truth_over_tick


@pytest.mark.parametrize("k", [1, 3, 5])
def test_a_parabola_sampled_every_second_is_flown_exactly(k):
    # Closed form: p(t) = v t + a t^2 / 2 (a ballistic descent with a turn); the velocity at
    # the tick's start is v + a t and the acceleration a, at every tick including the last.
    times = np.arange(6.0)
    a = np.array([3.0, -2.0, -9.80665])
    v = np.array([300.0, 10.0, -400.0])
    pos = (v * times[:, None] + 0.5 * a * times[:, None] ** 2)[None]
    vel0, accel = truth_over_tick(pos, times, k)
    assert vel0[0] == pytest.approx(v + a * times[k - 1])
    assert accel[0] == pytest.approx(a)


def test_a_kink_of_the_sampled_path_is_no_manoeuvre():
    # A threat held at its start until t = 2 s, then at 1000 m/s: a 100 g kink of the 1 s
    # samples, beyond any threat's pull, taken as straight flight over the tick.
    times = np.arange(5.0)
    x = np.maximum(times - 2.0, 0.0) * 1000.0
    pos = np.stack([x, 0 * x, 0 * x], axis=-1)[None]
    vel0, accel = truth_over_tick(pos, times, 2)
    assert np.all(accel == 0.0)
    assert vel0[0, 0] == pytest.approx(0.0)
