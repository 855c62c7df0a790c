"""The catalog's fixed vocabularies (no pydantic: the command line reads them at start-up)."""

from typing import Literal, get_args

BANDS = ("VHF", "UHF", "L", "S", "C", "X", "Ku")
ASPECTS = ("nose", "beam", "tail")
ThreatClass = Literal["aircraft", "drone", "cruise_missile", "ballistic_missile"]
THREAT_CLASSES = get_args(ThreatClass)
