"""Physical-optics RCS of flat plates, edges and smooth bodies, and airframe tables built
from them (an ESTIMATE where no public table exists).

Scatterers (body frame x forward, y right, z down; ``d`` the unit vector to the radar):

* flat plate with sides a, b (vectors, a parallelogram), area A = |a x b|, normal n
  (Knott, Shaeffer & Tuley, *Radar Cross Section*, 2nd ed., 1993, sec. 5.3; monostatic PO):

      sigma = (4 pi A^2 / lambda^2) (d.n)^2 sinc^2(k d.a) sinc^2(k d.b),  sinc x = sin x / x,

  k = 2 pi / lambda: broadside 4 pi A^2 / lambda^2, the sinc^2 lobes off broadside;
* straight edge of length L, direction e (Knott et al. sec. 5.4, the edge of a half plane
  seen normal to its length has sigma ~ L^2 / pi):

      sigma = (L^2 / pi) sinc^2(k L d.e) max(d.o, 0),

  o the edge's outward direction; the cosine taper over the exterior half-space is our
  simplification of the wedge diffraction coefficient's angular variation;
* ellipsoid with semi-axes (a, b, c), geometric optics (Knott et al. table 5.1; Ruck et
  al., *Radar Cross Section Handbook*, 1970, sec. 3.2):

      sigma = pi a^2 b^2 c^2 / (a^2 d_x^2 + b^2 d_y^2 + c^2 d_z^2)^2,

  which is pi a^2 for a sphere, the optical-region limit of the exact Mie series.

A table cell is a few degrees wide while a plate's lobes at X band are a tenth of a degree,
so point samples would alias. Each cell holds the cell's mean: the sinc^2 factors are
averaged over the span of their argument across the cell in closed form,
mean of sinc^2 over [x0, x1] = [F(x1) - F(x0)] / (x1 - x0), F(x) = Si(2x) - sin^2(x) / x.

The scatterers' powers add (incoherent sum): the echo of many scatterers with random
relative phase has a mean equal to the sum of their RCS, the Swerling 1 picture (Skolnik,
*Introduction to Radar Systems*, 3rd ed., sec. 2.8). A cell where one scatterer gives more
than half the power is Swerling 3 (one dominant reflector plus many small ones), the others
take the catalog's case.

Calibration to the catalog: per band, a correction in dB that varies linearly over the
body azimuth between nose (0), beam (90) and tail (180 deg), like the catalog's coarse
table, is solved so that the mean RCS of the cells within 20 deg of nose, beam and tail at
|elevation| <= 10 deg equals the catalog's nose, beam and tail figures. The physical model
gives the shape (where the spikes and nulls are, how they move with wavelength); the
catalog's (estimated) figures give the level. Both are estimates, and the table says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
from scipy.special import sici

from iadsim.catalog.schema import BANDS
from iadsim.radar.rcs_table import RcsTable, table_grid

# Band centre frequencies (IEEE Std 521-2019 letter bands; VHF/UHF radar allocations).
BAND_FREQ_HZ = dict(zip(BANDS, (150e6, 430e6, 1.3e9, 3.0e9, 5.5e9, 9.5e9, 15e9), strict=True))
C_LIGHT = 299_792_458.0
DOMINANT_FRACTION = 0.5  # one scatterer above this share of a cell's power: Swerling 3
_SECTOR_HALF_WIDTH_DEG = 20.0
_HORIZONTAL_BAND_DEG = 10.0
FORWARD, AFT = (1.0, 0.0, 0.0), (-1.0, 0.0, 0.0)
_FLOOR_DB = -20.0  # isotropic residual, relative to the raw horizontal mean (see floor)


def sinc2(x) -> np.ndarray:
    """(sin x / x)^2 with the limit 1 at x = 0."""
    return np.sinc(np.asarray(x, float) / np.pi) ** 2


def _sinc2_primitive(x):
    """F(x) = Si(2x) - sin^2(x)/x, an antiderivative of sinc^2 (F(0) = 0)."""
    x = np.asarray(x, float)
    si = sici(2.0 * x)[0]
    safe = np.where(x == 0.0, 1.0, x)
    return si - np.where(x == 0.0, 0.0, np.sin(x) ** 2 / safe)


def sinc2_mean(x, width) -> np.ndarray:
    """Mean of sinc^2 over [x - width/2, x + width/2] (closed form; width 0: the point)."""
    x, width = np.broadcast_arrays(np.asarray(x, float), np.abs(np.asarray(width, float)))
    wide = width > 1e-6
    w = np.where(wide, width, 1.0)
    mean = (_sinc2_primitive(x + w / 2.0) - _sinc2_primitive(x - w / 2.0)) / w
    return np.where(wide, mean, sinc2(x))


def aspect_vectors(az_rad, el_rad) -> np.ndarray:
    """Unit body-frame vector towards the radar from azimuth and elevation (..., 3)."""
    az, el = np.broadcast_arrays(np.asarray(az_rad, float), np.asarray(el_rad, float))
    return np.stack([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), -np.sin(el)], axis=-1)


def _aspect_derivatives(az, el):
    d_az = np.stack([-np.cos(el) * np.sin(az), np.cos(el) * np.cos(az), np.zeros_like(az)], -1)
    d_el = np.stack([-np.sin(el) * np.cos(az), -np.sin(el) * np.sin(az), -np.cos(el)], -1)
    return d_az, d_el


def _span(vec, d_az, d_el, cell_rad):
    """How far d.vec changes across a cell of the given angular size (first order)."""
    return np.abs(d_az @ vec) * cell_rad[0] + np.abs(d_el @ vec) * cell_rad[1]


def plate_rcs_m2(side_a, side_b, wavelength_m, az_rad, el_rad, cell_rad=(0.0, 0.0),
                 facing=None) -> np.ndarray:  # fmt: skip
    """PO RCS of a flat parallelogram plate with side vectors a, b (m), see module docstring.

    ``cell_rad`` (az, el widths): average over a cell of that size; 0 gives the point value.
    ``facing``: a vector on the reflecting side of a one-sided plate (a facet of a closed
    body, an inlet or nozzle face); None: both faces reflect (a thin fin or wing).
    """
    a, b = np.asarray(side_a, float), np.asarray(side_b, float)
    normal = np.cross(a, b)
    area = np.linalg.norm(normal)
    normal = normal / area
    az, el = np.broadcast_arrays(np.asarray(az_rad, float), np.asarray(el_rad, float))
    d = aspect_vectors(az, el)
    d_az, d_el = _aspect_derivatives(az, el)
    k2 = 2.0 * (2.0 * np.pi / wavelength_m)  # the two-way phase 2 k d.r, halved in sinc
    cell = np.asarray(cell_rad, float)
    pattern = sinc2_mean(0.5 * k2 * (d @ a), 0.5 * k2 * _span(a, d_az, d_el, cell))
    pattern = pattern * sinc2_mean(0.5 * k2 * (d @ b), 0.5 * k2 * _span(b, d_az, d_el, cell))
    cos_n = d @ normal
    if facing is not None:
        cos_n = np.maximum(cos_n * np.sign(normal @ np.asarray(facing, float)), 0.0)
    return 4.0 * np.pi * area**2 / wavelength_m**2 * cos_n**2 * pattern


def edge_rcs_m2(start, end, outward, wavelength_m, az_rad, el_rad, cell_rad=(0.0, 0.0)):
    """RCS of a straight edge from ``start`` to ``end`` (m) facing ``outward`` (module
    docstring); averaged over a cell of ``cell_rad`` like :func:`plate_rcs_m2`."""
    vec = np.asarray(end, float) - np.asarray(start, float)
    length = np.linalg.norm(vec)
    e = vec / length
    o = np.asarray(outward, float)
    o = o - (o @ e) * e
    o = o / np.linalg.norm(o)
    az, el = np.broadcast_arrays(np.asarray(az_rad, float), np.asarray(el_rad, float))
    d = aspect_vectors(az, el)
    d_az, d_el = _aspect_derivatives(az, el)
    kl = 2.0 * np.pi / wavelength_m * length
    pattern = sinc2_mean(kl * (d @ e), kl * _span(e, d_az, d_el, np.asarray(cell_rad, float)))
    return length**2 / np.pi * pattern * np.maximum(d @ o, 0.0)


def ellipsoid_rcs_m2(semi_axes_m, az_rad, el_rad) -> np.ndarray:
    """Geometric-optics RCS of an ellipsoid with body-axis semi-axes (a, b, c)."""
    a, b, c = (float(v) for v in semi_axes_m)
    d = aspect_vectors(az_rad, el_rad)
    den = a**2 * d[..., 0] ** 2 + b**2 * d[..., 1] ** 2 + c**2 * d[..., 2] ** 2
    return np.pi * a**2 * b**2 * c**2 / den**2


def mie_sphere_rcs_m2(radius_m: float, wavelength_m: float, n_terms: int | None = None) -> float:
    """Exact monostatic RCS of a perfectly conducting sphere (Mie series; Ruck et al. 1970,
    eq. 3.2-10; Knott et al. sec. 3.6):

        sigma = (lambda^2 / 4 pi) |sum_n (-1)^n (2 n + 1) (b_n - a_n)|^2,
        a_n = j_n(ka) / h_n(ka),  b_n = [ka j_n(ka)]' / [ka h_n(ka)]',  h_n = j_n + i y_n.
    """
    from scipy.special import spherical_jn, spherical_yn

    ka = 2.0 * np.pi * radius_m / wavelength_m
    n = np.arange(1, (n_terms or int(ka + 4.0 * ka ** (1.0 / 3.0) + 10)) + 1)
    jn, yn = spherical_jn(n, ka), spherical_yn(n, ka)
    hn = jn + 1j * yn
    djn = spherical_jn(n, ka, derivative=True)
    dhn = djn + 1j * spherical_yn(n, ka, derivative=True)
    a_n = jn / hn
    b_n = (jn + ka * djn) / (hn + ka * dhn)
    total = np.sum((-1.0) ** n * (2 * n + 1) * (b_n - a_n))
    return float(wavelength_m**2 / (4.0 * np.pi) * abs(total) ** 2)


@dataclass(frozen=True)
class Plate:
    side_a: tuple
    side_b: tuple
    facing: tuple | None = None  # see plate_rcs_m2
    # Power factor (estimate): absorber treatment, or for a cavity face (inlet, nozzle) the
    # share of its return that comes back in its specular lobe rather than spread wide.
    weight: float = 1.0


@dataclass(frozen=True)
class Edge:
    start: tuple
    end: tuple
    outward: tuple
    weight: float = 1.0


@dataclass(frozen=True)
class Ellipsoid:
    semi_axes: tuple
    weight: float = 1.0


@dataclass(frozen=True)
class Airframe:
    """A small set of scatterers in the body frame laid out like the aircraft's planform."""

    description: str
    right: list = field(default_factory=list)  # right-side parts; the left mirrors them
    centre: list = field(default_factory=list)  # parts on the plane of symmetry

    @property
    def parts(self) -> list:
        return self.right + [_mirror(p) for p in self.right] + self.centre


def _mirror(part):
    """The left-side twin of a right-side part (y -> -y)."""

    def m(v):
        return (v[0], -v[1], v[2])

    if isinstance(part, Plate):
        facing = None if part.facing is None else m(part.facing)
        return Plate(m(part.side_a), m(part.side_b), facing, part.weight)
    return Edge(m(part.start), m(part.end), m(part.outward), part.weight)


def _wing(root_le, tip_le, tip_te, root_te, weight_edges=1.0, weight_plate=1.0):
    """Right-hand lifting surface in the x-y plane: LE and TE edges and the panel as a
    parallelogram along its leading and trailing edges (upper and lower faces)."""
    rl, tl, tt, rt = (np.array([*p, 0.0]) for p in (root_le, tip_le, tip_te, root_te))
    le = tl - rl
    chord = rt - rl
    area = 0.5 * abs(np.cross(tl - rt, tt - rl)[2])  # trapezoid area
    # Panel sides along the LE and along the mean chord, scaled to the panel's area.
    a = le * np.sqrt(area / abs(np.cross(le, chord)[2]))
    b = chord * np.sqrt(area / abs(np.cross(le, chord)[2]))
    return [
        Edge(tuple(rl), tuple(tl), (1.0, 0.0, 0.0), weight_edges),
        Edge(tuple(rt), tuple(tt), (-1.0, 0.0, 0.0), weight_edges),
        Plate(tuple(a), tuple(b), None, weight_plate),
    ]


def _f35a() -> Airframe:
    """F-35A-like layout (length 15.7 m, span 10.7 m, wing 42.7 m^2; Lockheed Martin fact
    sheet figures): wing and tail edges aligned at 34 deg (leading) and -14 deg (trailing)
    sweep, twin tails canted out 25 deg, chined fuselage sides at 40 deg, treated (RAM)
    inlets and radome bulkhead hidden, an untreated-looking nozzle face aft."""
    cant = np.deg2rad(25.0)
    chine = np.deg2rad(40.0)
    tail_up = (0.0, np.sin(cant) * 2.3, -np.cos(cant) * 2.3)  # canted tail span vector
    right = (
        _wing((-6.0, 1.2), (-8.77, 5.3), (-10.0, 5.3), (-11.0, 1.2))
        + _wing((-12.2, 1.0), (-13.8, 3.4), (-14.6, 3.4), (-15.2, 1.0), 1.0, 0.5)
        + [
            Plate((2.2, 0.0, 0.0), tail_up),  # canted fin
            Edge((-11.5, 1.0, -0.5), (-11.5 - 1.6, 1.0 + tail_up[1], -0.5 + tail_up[2]),
                 (1.0, 0.0, 0.0)),  # fin leading edge, swept like the wing
            # Chined fuselage: upper and lower side facets, outward normals up/down-out.
            Plate((-12.0, 0.0, 0.0), (0.0, -0.7 * np.sin(chine), -0.7 * np.cos(chine)),
                  (0.0, np.cos(chine), -np.sin(chine))),
            Plate((-12.0, 0.0, 0.0), (0.0, -0.6 * np.sin(chine), 0.6 * np.cos(chine)),
                  (0.0, np.cos(chine), np.sin(chine))),
            Edge((-1.0, 0.9, 0.0), (-12.0, 0.9, 0.0), (0.0, 1.0, 0.0), 0.3),  # the chine line
        ]
    )  # fmt: skip
    aft = [
        Plate((0.0, 1.06, 0.0), (0.0, 0.0, 1.06), AFT, 0.05),  # nozzle cavity face
        Plate((0.0, 0.53, 0.0), (0.0, 0.0, 0.53), FORWARD, 0.01),  # inlet faces
        Ellipsoid((7.8, 1.3, 1.0), 0.01),  # smooth body under RAM
    ]
    return Airframe("F-35A-like faceted stealth layout (estimate)", right, aft)


def _f16() -> Airframe:
    """F-16-like conventional layout (length 15.1 m, span 9.45 m, wing 27.9 m^2; USAF fact
    sheet): 40 deg leading edge, straight trailing edge, one vertical fin, flat fuselage
    sides, an open chin inlet and the radar antenna facing forward, nozzle aft."""
    right = (
        _wing((-5.5, 0.8), (-9.0, 4.7), (-10.2, 4.7), (-10.2, 0.8))
        + _wing((-12.4, 0.7), (-14.1, 2.7), (-14.9, 2.7), (-14.9, 0.7))
        + [Plate((0.0, 0.0, 1.0), (-11.0, 0.0, 0.0), (0.0, 1.0, 0.0))]  # fuselage side
    )
    centre = [
        Plate((3.0, 0.0, 0.0), (0.0, 0.0, -2.5)),  # vertical fin
        Edge((-11.0, 0.0, -0.8), (-13.2, 0.0, -3.3), (1.0, 0.0, 0.0)),  # fin leading edge
        Plate((0.0, 0.9, 0.0), (0.0, 0.0, 0.9), AFT, 0.1),  # nozzle cavity face
        Plate((0.0, 0.9, 0.0), (0.0, 0.0, 0.9), FORWARD, 0.05),  # open inlet cavity face
        Plate((0.0, 0.6, 0.0), (0.0, 0.0, 0.6), FORWARD, 0.05),  # antenna behind the radome
        Ellipsoid((7.5, 0.8, 0.9)),
    ]
    return Airframe("F-16-like conventional layout (estimate)", right, centre)


AIRFRAMES = {"F-35A": _f35a, "F-16-Block70": _f16}


def part_rcs_m2(part, wavelength_m, az_rad, el_rad, cell_rad=(0.0, 0.0)) -> np.ndarray:
    """RCS of one scatterer (its weight applied)."""
    if isinstance(part, Plate):
        s = plate_rcs_m2(part.side_a, part.side_b, wavelength_m, az_rad, el_rad, cell_rad,
                         part.facing)  # fmt: skip
    elif isinstance(part, Edge):
        s = edge_rcs_m2(part.start, part.end, part.outward, wavelength_m, az_rad, el_rad,
                        cell_rad)  # fmt: skip
    else:
        s = ellipsoid_rcs_m2(part.semi_axes, az_rad, el_rad)
    return part.weight * s


def airframe_cells_m2(airframe: Airframe, wavelength_m: float, step_deg: float):
    """Cell-mean RCS of every part (order of ``airframe.parts``) on the table grid:
    (n_parts, n_el, n_az) m^2. A left-side part is its right twin seen at azimuth -az."""
    az_deg, el_deg = table_grid(step_deg)
    az, el = np.meshgrid(np.deg2rad(az_deg), np.deg2rad(el_deg))
    cell = (np.deg2rad(step_deg), np.deg2rad(step_deg))
    right = [part_rcs_m2(p, wavelength_m, az, el, cell) for p in airframe.right]
    mirror = (-np.arange(len(az_deg))) % len(az_deg)
    centre = [part_rcs_m2(p, wavelength_m, az, el, cell) for p in airframe.centre]
    return np.stack(right + [r[:, mirror] for r in right] + centre)


def calibrate_db(raw_m2: np.ndarray, az_deg, el_deg, nose_beam_tail_dbsm, iterations=4):
    """The table (dBsm) with the azimuth-linear dB correction that makes the horizontal
    sector means equal the catalog's nose, beam and tail figures (module docstring)."""
    folded = np.abs(np.angle(np.exp(1j * np.deg2rad(az_deg)), deg=True))  # 0 .. 180
    horizontal = np.abs(el_deg) <= _HORIZONTAL_BAND_DEG
    weights = np.cos(np.deg2rad(el_deg))[horizontal, None]
    sectors = [np.abs(folded - c) <= _SECTOR_HALF_WIDTH_DEG for c in (0.0, 90.0, 180.0)]
    target = np.asarray(nose_beam_tail_dbsm, float)
    knots = np.zeros(3)
    table = 10.0 * np.log10(raw_m2)
    for _ in range(iterations):
        table = 10.0 * np.log10(raw_m2) + np.interp(folded, [0.0, 90.0, 180.0], knots)[None, :]
        lin = 10.0 ** (table[horizontal] / 10.0) * weights
        means = np.array([lin[:, s].sum() / (weights.sum() * s.sum()) for s in sectors])
        knots = knots + target - 10.0 * np.log10(means)
    return 10.0 * np.log10(raw_m2) + np.interp(folded, [0.0, 90.0, 180.0], knots)[None, :]


@cache
def airframe_table(threat_name: str, catalog_rcs: tuple, swerling: int,
                   step_deg: float = 2.0) -> RcsTable | None:  # fmt: skip
    """The generated two-angle table of a catalog threat type, or None if no layout exists.

    catalog_rcs: ((nose, beam, tail) dBsm per band in BANDS order); swerling: the
    catalog's case for cells no single scatterer dominates.
    """
    if threat_name not in AIRFRAMES:
        return None
    airframe = AIRFRAMES[threat_name]()
    az_deg, el_deg = table_grid(step_deg)
    dbsm = np.empty((len(BANDS), len(el_deg), len(az_deg)))
    cases = np.empty(dbsm.shape, np.int8)
    for b, band in enumerate(BANDS):
        parts = airframe_cells_m2(airframe, C_LIGHT / BAND_FREQ_HZ[band], step_deg)
        total = parts.sum(axis=0)
        floor = floor_m2(total, el_deg)
        raw = total + floor
        dbsm[b] = calibrate_db(raw, az_deg, el_deg, catalog_rcs[b])
        dominant = parts.max(axis=0) > DOMINANT_FRACTION * raw
        cases[b] = np.where(dominant, 3, swerling)
    return RcsTable(
        BANDS, az_deg, el_deg, dbsm, cases,
        source=f"physical-optics model: {airframe.description}, calibrated to the catalog's "
        "nose/beam/tail figures (radar/signature.py)",
        estimate=True,
    )  # fmt: skip


def floor_m2(total_m2: np.ndarray, el_deg) -> float:
    """Isotropic residual scattering (surface gaps, fasteners, travelling waves; Knott et al.
    sec. 8.1 list these as what remains after shaping): _FLOOR_DB below the raw pattern's
    horizontal mean, so that no cell falls into a PO null of -inf dB."""
    horizontal = np.abs(np.asarray(el_deg)) <= _HORIZONTAL_BAND_DEG
    return float(total_m2[horizontal].mean() * 10.0 ** (_FLOOR_DB / 10.0))


def threat_table(catalog, threat_name: str, step_deg: float = 2.0) -> RcsTable | None:
    """The generated table of a catalog threat (cached), or None without a layout."""
    entry = catalog.threats[threat_name]
    rcs = tuple(
        (entry.rcs_dbsm.value[b].nose, entry.rcs_dbsm.value[b].beam, entry.rcs_dbsm.value[b].tail)
        for b in BANDS
    )
    return airframe_table(threat_name, rcs, int(entry.swerling), step_deg)
