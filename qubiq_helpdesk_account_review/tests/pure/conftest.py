"""Load the review engine by path: these tests run without Odoo."""

import importlib.util
import sys
from pathlib import Path

_ENGINE = Path(__file__).resolve().parents[2] / "models" / "review_engine.py"
if "qubiq_review_engine" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("qubiq_review_engine", _ENGINE)
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["qubiq_review_engine"] = _module
    _spec.loader.exec_module(_module)
