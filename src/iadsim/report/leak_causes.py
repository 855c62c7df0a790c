"""Why each leaked threat leaked: the first link of the sensor-to-shooter chain that failed.

For each threat that reached its aim point, in chain order:

- ``no_track``: no picture ever held a confirmed track on it;
- ``no_fire_control``: tracked, but no precision (engagement or multifunction) radar ever
  detected it (outside every face, masked, below the horizon or in the Doppler notch of
  the fire-control radars);
- ``out_of_range``: seen by a fire-control radar, never fired at, and its true path never
  entered any fire unit's flown missile envelope while it was in flight;
- ``no_channel``: seen, inside an envelope at some time, but never fired at: every unit
  that could reach it was busy (target or missile channels, launch interval, reaction
  time) or out of rounds;
- ``no_energy``: fired at, and every missile fired at it ran out of energy (or was still
  flying when the run ended);
- ``missed``: fired at, and some missile's flight ended otherwise: at closest approach
  (a miss, or the target survived the kill draw), out of flight time, or still chasing when
  the threat reached its aim point.

The missiles' ends come from ``Interceptors.end`` (:class:`iadsim.engage.flyout.FlightEnd`),
not from the event log's text.
"""

from __future__ import annotations

import numpy as np

CAUSES = ("no_track", "no_fire_control", "out_of_range", "no_channel", "no_energy", "missed")
REACH_SAMPLE_S = 5.0  # how often the truth path is checked against the envelopes


def leak_causes(result, tracked: np.ndarray) -> list[str | None]:
    """Per scenario threat: its leak cause (one of CAUSES), None if it did not leak.
    ``tracked`` (n,) bool: a confirmed track on it existed in some picture."""
    from iadsim.engage.flyout import FlightEnd  # with the flyout kernels: only when needed

    world = result.world
    th = world.threats
    n = len(th)
    missiles = result.interceptors
    aimed = missiles.target >= 0
    fired_at = np.zeros(n, bool)
    fired_at[missiles.target[aimed]] = True
    ended = aimed & ~np.isin(missiles.end, (FlightEnd.FLYING, FlightEnd.OUT_OF_ENERGY))
    not_short = np.zeros(n, bool)  # some missile at it did more than run out of energy
    not_short[missiles.target[ended]] = True
    reach = in_reach(world)
    out: list[str | None] = []
    for i in range(n):
        if not result.leaked[i]:
            out.append(None)
        elif not tracked[i]:
            out.append("no_track")
        elif not result.fc_seen[i]:
            out.append("no_fire_control")
        elif not fired_at[i]:
            out.append("no_channel" if reach[i] else "out_of_range")
        else:
            out.append("missed" if not_short[i] else "no_energy")
    return out


def in_reach(world) -> np.ndarray:
    """Per threat: whether its true path, sampled every REACH_SAMPLE_S in flight, ever lies
    where some fire unit's missile could intercept it (the launch check of
    :func:`iadsim.engage.decide.feasible_types` on the truth). The same for every
    replication, so it is computed once per World."""
    from iadsim.engage.decide import feasible_types  # the flyout kernels load only when needed

    cache = world.derived
    if "in_reach" in cache:
        return cache["in_reach"]
    th, units, types = world.threats, world.units, world.missiles
    step = max(1, int(round(REACH_SAMPLE_S / world.scenario.time_step_s)))
    ks = np.arange(0, len(world.times), step)
    t = world.times[ks]
    flying = (th.launch_s[:, None] <= t[None]) & (th.arrival_s[:, None] > t[None])
    rows, cols = np.nonzero(flying)
    reach = np.zeros(len(th), bool)
    for u in range(len(units.name)):  # with any missile of its system, spent or not
        if len(rows) == 0:
            break
        ok, _ = feasible_types(units.xyz[u], th.pos[rows, ks[cols]], th.vel[rows, ks[cols]], types)
        hit = (ok & units.carries[u][None, :]).any(axis=1)
        reach[np.unique(rows[hit])] = True
    cache["in_reach"] = reach
    return reach
