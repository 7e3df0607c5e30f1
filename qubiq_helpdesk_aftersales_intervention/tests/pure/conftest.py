"""Load the scheduling engine by path: these tests run without Odoo (no addon
__init__ import)."""

import importlib.util
import sys
from pathlib import Path

_ENGINE = Path(__file__).resolve().parents[2] / "models" / "schedule_engine.py"
if "qubiq_intervention_schedule_engine" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "qubiq_intervention_schedule_engine", _ENGINE
    )
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["qubiq_intervention_schedule_engine"] = _module
    _spec.loader.exec_module(_module)
