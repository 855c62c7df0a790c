"""Track-quality summary on hand-made logs."""

import numpy as np
import pytest

from iadsim.tracking import TrackLog, summarize_tracks


def make_log(rows):
    """rows: (time, track_id, truth, x, confirmed); positions on the x axis."""
    log = TrackLog()
    for t, tid, truth, x, conf in rows:
        log.append(t, [tid], [truth], [[x, 0.0, 0.0]], [conf])
    return log


def test_break_swap_confirmation_and_error_by_hand():
    # Threat 0 (truth x = 100 t): track 1 confirmed at t=2, lost after t=4, track 3 takes
    # over at t=7 (one break). Threat 1 (truth x = 5000): track 2 confirmed at t=3 ...
    # and from t=8 track 2 follows threat 0 instead (an ID swap onto threat 0).
    rows = [
        (1.0, 1, 0, 100.0, False),
        (2.0, 1, 0, 210.0, True),
        (3.0, 1, 0, 290.0, True),
        (4.0, 1, 0, 400.0, True),
        (2.0, 2, 1, 5000.0, False),
        (3.0, 2, 1, 5020.0, True),
        (4.0, 2, 1, 4990.0, True),
        (5.0, 2, 1, 5000.0, True),
        (7.0, 3, 0, 700.0, True),
        (8.0, 3, 0, 800.0, True),
        (9.0, 3, 0, 900.0, True),
        (8.0, 2, 0, 830.0, True),
        (9.0, 2, 0, 930.0, True),
        (10.0, 2, 0, 1030.0, True),
        (6.0, 9, -1, 3000.0, True),  # a false track: ignored
    ]
    log = make_log(rows)
    times = np.arange(0.0, 11.0)
    truth_xyz = np.zeros((2, len(times), 3))
    truth_xyz[0, :, 0] = 100.0 * times
    truth_xyz[1, :, 0] = 5000.0
    out = summarize_tracks(log, 2, truth_xyz, times, truth_start_s=np.array([0.5, 1.0]))
    np.testing.assert_array_equal(out["first_confirmed_s"], [2.0, 3.0])
    np.testing.assert_array_equal(out["time_to_confirm_s"], [1.5, 2.0])
    np.testing.assert_array_equal(out["track_breaks"], [2, 0])  # ids 1, 3 and 2 on threat 0
    np.testing.assert_array_equal(out["id_swaps"], [1, 0])
    assert out["total_id_swaps"] == 1 and out["total_track_breaks"] == 2
    # Errors: threat 0 rows |10|,|-10|,0, 0,0,0, 30,30,30 -> 110/9; threat 1: 20,10,0 -> 10.
    np.testing.assert_allclose(out["mean_position_error_m"], [110.0 / 9.0, 10.0])
    assert out["mean_position_error_m_all"] == pytest.approx(140.0 / 12.0)


def test_a_momentary_misassociation_is_not_a_swap():
    rows = [(float(t), 1, 0 if t != 5 else 1, 0.0, True) for t in range(10)]
    rows += [(float(t), 2, 1 if t != 5 else 0, 0.0, True) for t in range(10)]
    out = summarize_tracks(make_log(rows), 2)
    assert out["total_id_swaps"] == 0 and out["total_track_breaks"] == 0
    np.testing.assert_array_equal(out["misassociated"], [1, 1])
    assert np.isnan(out["mean_position_error_m"]).all()
    strict = summarize_tracks(make_log(rows), 2, min_run=1)
    assert strict["total_id_swaps"] == 4


def test_callable_truth_and_untracked_threat():
    log = make_log([(1.0, 1, 0, 12.0, True), (2.0, 1, 0, 18.0, True)])
    out = summarize_tracks(log, 3, lambda idx, t: np.column_stack([10 * t, 0 * t, 0 * t]))
    np.testing.assert_allclose(out["mean_position_error_m"][0], 2.0)
    assert np.isnan(out["first_confirmed_s"][1:]).all()
    assert out["track_breaks"].tolist() == [0, 0, 0]
    empty = summarize_tracks(TrackLog(), 2)
    assert empty["total_id_swaps"] == 0 and np.isnan(empty["first_confirmed_s"]).all()


def test_bad_arguments_raise():
    log = make_log([(1.0, 1, 4, 0.0, True)])
    with pytest.raises(ValueError, match="n_truth"):
        summarize_tracks(log, 2)
    with pytest.raises(ValueError, match="truth_times"):
        summarize_tracks(make_log([(1.0, 1, 0, 0.0, True)]), 1, np.zeros((1, 3, 3)))
    with pytest.raises(ValueError, match="of one length along axis 0"):
        TrackLog().append(0.0, [1, 2], [0], np.zeros((2, 3)), True)
