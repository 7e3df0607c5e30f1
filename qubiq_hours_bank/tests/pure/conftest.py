"""Load the hours engine by path: these tests run without Odoo (no addon __init__
import)."""

import importlib.util
import sys
from pathlib import Path

_ENGINE = Path(__file__).resolve().parents[2] / "models" / "hours_engine.py"
if "qubiq_hours_engine" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("qubiq_hours_engine", _ENGINE)
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["qubiq_hours_engine"] = _module
    _spec.loader.exec_module(_module)
