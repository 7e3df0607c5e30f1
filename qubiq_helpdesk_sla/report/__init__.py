from . import qubiq_sla_report
