"""A toy third-party iadsim plugin (tests/api/test_components.py): one assignment rule and
one trajectory kind, registered through the ``iadsim.components`` entry points of the
dist-info beside this file (what ``pip install`` of a plugin package would write)."""

import numpy as np

CALLS: list[tuple[int, int]] = []  # (weapons, targets) of every call the engine made


def first_fit(pk, value, capacity):
    """Each weapon in order takes the first target it can hurt that no weapon took."""
    pk, value = np.asarray(pk), np.asarray(value)
    CALLS.append(pk.shape)
    shots = np.zeros(pk.shape, np.int64)
    taken = np.zeros(pk.shape[1], bool)
    for i in range(pk.shape[0]):
        for j in np.flatnonzero((pk[i] * value > 0) & ~taken)[: int(capacity[i])]:
            shots[i, j] = 1
            taken[j] = True
    return shots


def dive(group, entry, frame, terrain, elapsed):
    """A straight line in the map frame from the route's first to its last waypoint at the
    catalog speed, the altitude falling linearly from the first waypoint's to zero."""
    first, last = group.route[0], group.route[-1]
    x, y = frame.to_map([first.lat_deg, last.lat_deg], [first.lon_deg, last.lon_deg])
    start = np.array([x[0], y[0], first.alt_m])
    end = np.array([x[1], y[1], 0.0])
    length = float(np.linalg.norm(end - start))
    speed = entry.speed_mps.value
    flight = length / speed
    s = np.clip(elapsed, 0.0, flight)[..., None]  # (n, K+1, 1)
    vel_dir = (end - start) / length
    pos = start + vel_dir * speed * s
    moving = (elapsed > 0.0) & (elapsed < flight)
    vel = np.where(moving[..., None], vel_dir * speed, 0.0)
    return pos, vel, np.full(elapsed.shape[0], flight)
