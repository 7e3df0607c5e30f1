from . import qubiq_sla_clock
