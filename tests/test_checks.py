"""The one calling convention for argument checks: name first, value second, one message
style '<name> must be <allowed>, got <value>', one exception type."""

import numpy as np
import pytest

from iadsim import checks
from iadsim.errors import ArgumentError, IadsimError


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: checks.positive("rcs_m2", [1.0, -2.0], "m^2"),
         "rcs_m2[1] must be finite numbers > 0 (m^2), got -2.0"),
        (lambda: checks.positive("power_w", np.nan), "power_w must be finite numbers > 0, got nan"),
        (lambda: checks.non_negative("h", [[0.0, 1.0], [2.0, -3.0]], "m"),
         "h[1, 1] must be finite numbers >= 0 (m), got -3.0"),
        (lambda: checks.decibels("snr_db", np.inf), "snr_db must be finite numbers of dB, got inf"),
        (lambda: checks.probability("pfa", [1e-6, 1.0]),
         "pfa[1] must be a probability strictly between 0 and 1, got 1.0"),
        (lambda: checks.probability("pk", [[0.5, 1.5]], closed=True),
         "pk[0, 1] must be a probability in [0, 1], got 1.5"),
        (lambda: checks.numbers("z", np.zeros((2, 2)), "positions (m)", shape=(None, 3)),
         "z must be positions (m) of shape (k, 3), got shape (2, 2)"),
        (lambda: checks.numbers("x", np.zeros(2, complex)),
         "x must be finite numbers, got an array of dtype complex128"),
        (lambda: checks.numbers("x", "far"), "x must be finite numbers, got 'far'"),
        (lambda: checks.numbers("x", [[1.0], [2.0, 3.0]]),
         "x must be finite numbers, got [[1.0], [2.0, 3.0]]"),
        (lambda: checks.integers("n_pulses", [3, 2.5], "an integer >= 1"),
         "n_pulses[1] must be an integer >= 1, got 2.5"),
        (lambda: checks.integers("n", [3, 0], "an integer >= 1", lambda a: a >= 1),
         "n[1] must be an integer >= 1, got 0"),
        (lambda: checks.scalar("c", True, "a finite cut-off > 0"),
         "c must be a finite cut-off > 0, got True"),
        (lambda: checks.scalar("c", -1.0, "a number > 0", lambda x: x > 0),
         "c must be a number > 0, got -1.0"),
        (lambda: checks.integer("m", 2.0, "an integer >= 1"), "m must be an integer >= 1, got 2.0"),
        (lambda: checks.one_of("method", "best", ("optimal", "greedy")),
         "method must be one of 'optimal', 'greedy', got 'best'"),
        (lambda: checks.same_length(x=np.zeros(1), p=np.zeros(2)),
         "x, p must be of one length along axis 0, got 1 and 2"),
    ],
)  # fmt: skip
def test_one_message_style(call, message):
    with pytest.raises(ArgumentError) as error:
        call()
    assert str(error.value) == message


def test_the_error_is_a_value_error_and_a_user_facing_iadsim_error():
    assert issubclass(ArgumentError, ValueError) and issubclass(ArgumentError, IadsimError)


def test_good_values_come_back_converted():
    assert checks.positive("x", [1, 2]).dtype == float
    assert checks.integers("n", [1.0, 2.0], "integers").dtype == np.int64
    assert checks.numbers("z", [], shape=(None, 3, 3)).shape == (0, 3, 3)
    assert checks.decibels("snr_db", [-np.inf, np.inf], allow_inf=True).tolist() == [
        -np.inf,
        np.inf,
    ]
    assert checks.scalar("t", np.float32(2.5)) == 2.5
