"""Load the engines by path: these tests run without Odoo (no addon __init__
import)."""

import importlib.util
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[3]
_MODULE = "qubiq_helpdesk_estimate_sale"
for _name, _path in (
    ("qubiq_estimate_engine", _ROOT / _MODULE / "models" / "estimate_engine.py"),
    ("qubiq_hours_engine", _ROOT / "qubiq_hours_bank/models/hours_engine.py"),
):
    if _name not in sys.modules:
        _spec = importlib.util.spec_from_file_location(_name, _path)
        _module = importlib.util.module_from_spec(_spec)
        sys.modules[_name] = _module
        _spec.loader.exec_module(_module)
