from . import qubiq_hours_bank_report
from . import report_hours_statement
