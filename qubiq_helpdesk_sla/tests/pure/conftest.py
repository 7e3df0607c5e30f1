"""Load the SLA engine by path: these tests run without Odoo (no addon __init__
import)."""

import importlib.util
import sys
from pathlib import Path

_ENGINE = Path(__file__).resolve().parents[2] / "models" / "sla_engine.py"
if "qubiq_sla_engine" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("qubiq_sla_engine", _ENGINE)
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["qubiq_sla_engine"] = _module
    _spec.loader.exec_module(_module)
