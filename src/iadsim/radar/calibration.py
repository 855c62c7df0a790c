"""Radar loop constant from a published detection range.

For a given radar the single-pulse SNR scales as SNR = C * sigma / R^4 (radar range
equation, Skolnik, *Introduction to Radar Systems*, 3rd ed., eq. 2.1 and sec. 2.2).
A public source that states "detects a target of RCS sigma_ref at R_ref" fixes C once
we fix the detection criterion (Pd_ref, Pfa, pulses integrated, Swerling case):

    C = SNR_req(Pd_ref, Pfa, n, swerling) * R_ref^4 / sigma_ref.

Everything the sensor needs (Pt tau G^2 lambda^2 / ((4 pi)^3 k Ts L)) is folded into C,
so radars whose power and gain are not public are still calibrated honestly.
"""

from __future__ import annotations

import numpy as np

from iadsim.radar.detection import required_snr_db


def loop_constant(
    ref_range_m: float,
    ref_rcs_m2: float,
    ref_pd: float,
    pfa: float,
    n_pulses: int,
    swerling: int,
) -> float:
    """C [m^4 / m^2] such that single-pulse SNR = C sigma / R^4 (see module docstring)."""
    snr_db = float(required_snr_db(ref_pd, pfa, n_pulses, swerling))
    return 10.0 ** (snr_db / 10.0) * ref_range_m**4 / ref_rcs_m2


def snr_from_loop_constant(constant, rcs_m2, range_m) -> np.ndarray:
    """Single-pulse SNR (linear) = C sigma / R^4."""
    return np.asarray(constant) * np.asarray(rcs_m2) / np.asarray(range_m, float) ** 4


def calibration_lines(radar) -> list[str]:
    """The calibration arithmetic of a catalog radar, one step per line (for docs and CLI)."""
    ref = radar.detection_reference
    pulses = int(radar.pulses_per_dwell.value)
    r_ref = ref.range_km.value * 1e3
    snr_db = float(required_snr_db(ref.pd, ref.pfa, pulses, ref.swerling))
    c = loop_constant(r_ref, ref.rcs_m2.value, ref.pd, ref.pfa, pulses, ref.swerling)
    one_m2_km = (c / 10.0 ** (snr_db / 10.0)) ** 0.25 / 1e3
    return [
        f"reference: {ref.range_km.value:g} km against {ref.rcs_m2.value:g} m^2 "
        f"(Pd {ref.pd:g}, Pfa {ref.pfa:g}, {pulses} pulses, Swerling {ref.swerling})",
        f"required single-pulse SNR (exact, noncoherent): {snr_db:.2f} dB",
        f"loop constant C = SNR_req R_ref^4 / sigma_ref = {c:.3e} m^4/m^2 "
        f"({10 * np.log10(c):.1f} dB)",
        f"same criterion against 1 m^2: {one_m2_km:.0f} km; range scales as sigma^(1/4)",
    ]
