"""Speed of the exact detection probabilities against SciPy's noncentral chi-square.

Prints one JSON object.  Inputs: 1e6 random (snr_db, pfa) pairs, snr_db uniform in
[-5, 25] dB, log10(pfa) uniform in [-8, -3].  Each timing is the best of a few
repeats in this process (single-threaded NumPy/SciPy element-wise code).

* ``swerling0_n10_s``: ``detection_probability(snr_db, pfa, 10, 0)``, threshold included.
* ``ncx2_sf_s``: ``scipy.stats.ncx2.sf(2 T, 2 n, 2 n snr)`` alone, given precomputed T.
* ``scipy_pipeline_s``: the same plus ``T = scipy.special.gammainccinv(n, pfa)``.
* ``swerling1_evals_per_s``: Swerling 1, one pulse, on the random pairs.
* ``swerling2_evals_per_s``: Swerling 2, 10 pulses, on the random pairs (one threshold
  inversion per element); ``swerling2_common_pfa_evals_per_s``: the same with one pfa.
"""

from __future__ import annotations

import json
import time

import numpy as np
from scipy import special, stats

from iadsim.radar.detection import detection_probability

N_SAMPLES = 1_000_000
N_PULSES = 10
REPEATS = 3


def best_time(function, repeats=REPEATS):
    """Smallest wall time of ``repeats`` calls, and the last result."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def measure() -> dict:
    rng = np.random.default_rng(20240601)
    snr_db = rng.uniform(-5.0, 25.0, N_SAMPLES)
    pfa = 10.0 ** rng.uniform(-8.0, -3.0, N_SAMPLES)
    snr = 10.0 ** (snr_db / 10.0)

    t_threshold, threshold = best_time(lambda: special.gammainccinv(N_PULSES, pfa))
    t_ncx2, reference = best_time(
        lambda: stats.ncx2.sf(2.0 * threshold, 2 * N_PULSES, 2.0 * N_PULSES * snr)
    )
    t_ours, pd = best_time(lambda: detection_probability(snr_db, pfa, N_PULSES, 0))

    t_sw1, _ = best_time(lambda: detection_probability(snr_db, pfa, 1, 1))
    t_sw2, _ = best_time(lambda: detection_probability(snr_db, pfa, N_PULSES, 2))
    t_sw2_common, _ = best_time(lambda: detection_probability(snr_db, 1e-6, N_PULSES, 2))

    return {
        "n": N_SAMPLES,
        "n_pulses": N_PULSES,
        "swerling0_n10_s": round(t_ours, 4),
        "ncx2_sf_s": round(t_ncx2, 4),
        "scipy_pipeline_s": round(t_threshold + t_ncx2, 4),
        "speedup_vs_ncx2": round(t_ncx2 / t_ours, 2),
        "speedup_vs_scipy_pipeline": round((t_threshold + t_ncx2) / t_ours, 2),
        "max_abs_diff": float(np.max(np.abs(pd - reference))),
        "swerling1_evals_per_s": round(N_SAMPLES / t_sw1),
        "swerling2_evals_per_s": round(N_SAMPLES / t_sw2),
        "swerling2_common_pfa_evals_per_s": round(N_SAMPLES / t_sw2_common),
    }


def main() -> None:
    print(json.dumps(measure()))


if __name__ == "__main__":
    main()
