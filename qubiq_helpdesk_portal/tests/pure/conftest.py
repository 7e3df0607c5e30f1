"""Load the portal checks by path: these tests run without Odoo (no addon __init__
import)."""

import importlib.util
import sys
from pathlib import Path

_CHECKS = Path(__file__).resolve().parents[2] / "models" / "portal_checks.py"
if "qubiq_portal_checks" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("qubiq_portal_checks", _CHECKS)
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["qubiq_portal_checks"] = _module
    _spec.loader.exec_module(_module)
