from . import qubiq_estimate_wizard
