"""The state of a batch of replications run in lock step, as flat struct-of-arrays.

Replication r of a batch of R owns threat instances r N .. r N + N - 1 (truth paths are
shared: only which threats are alive differs), fire units r U .. r U + U - 1 and track
pictures (tracker groups) r P .. r P + P - 1. Every random draw comes from the
replication's own counter-based stream (:mod:`iadsim.sim.streams`), so a replication's
results do not depend on the other replications in its batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property

import numpy as np

from iadsim._arrays import rank_within
from iadsim.catalog import THREAT_CLASSES
from iadsim.components import Components
from iadsim.engage import flyout
from iadsim.engage.decide import Units
from iadsim.scenario.schema import Doctrine
from iadsim.sim.events import EventLog
from iadsim.sim.pointing import Faces
from iadsim.sim.reactions import Reactions
from iadsim.sim.streams import replication_keys
from iadsim.sim.world import World
from iadsim.tracking.tracker import Tracker

TRACK_KEY_STRIDE = 1_000_000  # track key = group * stride + track id


@dataclass
class BatchState:
    world: World
    keys: np.ndarray  # (R,) replication stream keys
    doctrines: list[Doctrine]  # per scenario fire unit
    assets_xy: np.ndarray
    asset_value: np.ndarray
    asset_radius: np.ndarray
    alive: np.ndarray  # (R N,)
    leaked: np.ndarray
    kill_time: np.ndarray
    fc_seen: np.ndarray  # (R N,) detected by a precision (fire-control) radar at least once
    units: Units
    tracker: Tracker
    missiles: flyout.Interceptors
    missile_serial: np.ndarray  # 1-based launch number of the missile in its replication
    names: list[str]
    logs: list[EventLog]
    record_detections: bool
    paths: dict[int, list] | None
    missile_count: np.ndarray  # (R,) missiles launched per replication
    unit_missile_no: np.ndarray  # (R U,) missiles launched per unit
    next_scan: np.ndarray  # (radars,) shared: the scan schedule is deterministic
    faces: Faces  # per (replication, radar) face pointing of the sector radars
    reactions: Reactions  # per-replication truth of reacting aircraft and released weapons
    components: Components  # what the stages call (tracker, threat evaluation, assignment)
    cued_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # cue log
    look_key: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    look_until: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def n_reps(self) -> int:
        return len(self.keys)

    @property
    def n_threats(self) -> int:
        return len(self.world.threats)

    @property
    def n_units(self) -> int:
        return len(self.world.units.name)

    @property
    def n_pictures(self) -> int:
        return len(self.world.picture_names)

    @property
    def n_fights(self) -> int:
        return len(self.world.fight_picture_names)

    def missile_rep(self, i):
        """Replication of missile(s) i: that of the unit that fired it."""
        return self.missiles.unit[i] // self.n_units

    def threat_id(self, g: int) -> str:
        """Scenario id of threat instance g, or "" for a false track (-1)."""
        return self.world.threats.ids[g % self.n_threats] if g >= 0 else ""

    def track_name(self, group: int, track_id: int) -> str:
        return f"{self.world.picture_names[group % self.n_pictures]}:T{track_id}"

    def log_of_group(self, group: int) -> EventLog:
        """The log of a tracker group's replication."""
        return self.logs[group // self.n_pictures]

    @cached_property
    def fight_of_picture(self) -> tuple[np.ndarray, np.ndarray]:
        """Per tracker picture: the fighting picture it feeds and its order among those
        that feed the same one (units in scenario order)."""
        units = self.world.units
        fight = np.zeros(self.n_pictures, int)
        fight[units.picture] = units.fight_picture
        return fight, rank_within(fight)

    def fight_track_name(self, picture, row: int) -> str:
        """The name of fighting-picture row ``row``: that of its anchor tracker track."""
        a = picture.anchor[row]
        return self.track_name(self.tracker.group[a], self.tracker.track_id[a])

    def log_of_fight(self, fight_group: int) -> EventLog:
        """The log of a fighting picture's replication."""
        return self.logs[fight_group // self.n_fights]


def new_batch(world: World, seeds, record_detections: bool, record_paths: bool) -> BatchState:
    """Fresh state for one replication per seed (ints or SeedSequences)."""
    keys = replication_keys(seeds)
    r, n = len(keys), len(world.threats)
    components = world.components or Components.from_scenario(world.scenario)
    doctrines = [u.doctrine or world.scenario.doctrine for u in world.scenario.fire_units]
    assets_xy, asset_value, asset_radius = defended_points(world, doctrines)
    return BatchState(
        world=world,
        keys=keys,
        doctrines=doctrines,
        assets_xy=assets_xy,
        asset_value=asset_value,
        asset_radius=asset_radius,
        alive=np.ones(r * n, bool),
        leaked=np.zeros(r * n, bool),
        kill_time=np.full(r * n, np.nan),
        fc_seen=np.zeros(r * n, bool),
        units=_units(world, doctrines, r),
        tracker=components.tracker(world, record_detections),
        missiles=flyout.Interceptors(),
        missile_serial=np.zeros(0, int),
        names=[],
        logs=[EventLog() for _ in range(r)],
        record_detections=record_detections,
        paths={} if record_paths else None,
        missile_count=np.zeros(r, int),
        unit_missile_no=np.zeros(r * len(world.units.name), int),
        next_scan=np.zeros(len(world.radars)),
        faces=Faces.initial(world.radars, r),
        reactions=Reactions.initial(world, r),
        components=components,
    )


def _units(world: World, doctrines: list[Doctrine], r: int) -> Units:
    u = world.units
    n_units, n_fights = len(u.name), len(world.fight_picture_names)
    rep = np.repeat(np.arange(r), n_units)
    kind = np.tile(np.arange(n_units), r)
    return Units(
        group=rep * n_fights + u.fight_picture[kind],
        kind=kind,
        xyz=u.xyz[kind],
        magazine=u.magazine[kind].copy(),
        next_launch_s=np.zeros(r * n_units),
        in_flight=np.zeros(r * n_units, int),
        target_channels=u.target_channels,
        missile_channels=u.missile_channels,
        launch_interval_s=u.launch_interval_s,
        reaction_s=u.reaction_s,
        hold_fire_below=np.array([d.hold_fire_below_value for d in doctrines], float),
        salvo=np.array([[d.salvo(c) for c in THREAT_CLASSES] for d in doctrines], int),
        classes=THREAT_CLASSES,
    )


def defended_points(world: World, doctrines) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Defended assets plus, for self-defence, the fire units whose doctrine values their site."""
    own = [(world.units.xyz[u, :2], d.self_defense_value) for u, d in enumerate(doctrines)
           if d.self_defense_value > 0]  # fmt: skip
    xy = np.vstack([world.assets_xy] + [p[None] for p, _ in own])
    value = np.concatenate([world.asset_value, [v for _, v in own]])
    radius = np.concatenate([world.asset_radius_m, np.full(len(own), 1000.0)])
    return xy, value, radius


def take_missiles(missiles: flyout.Interceptors, rows: np.ndarray) -> flyout.Interceptors:
    """The missiles ``rows`` as a new Interceptors (copies)."""
    return flyout.Interceptors(**{f.name: getattr(missiles, f.name)[rows].copy()
                                  for f in fields(flyout.Interceptors)})  # fmt: skip
