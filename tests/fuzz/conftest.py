"""The harness modules of this folder are imported by name (by the tests and ``benchmarks/fuzz.py``)."""

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
