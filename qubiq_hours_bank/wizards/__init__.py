from . import qubiq_hours_invoice_wizard
from . import qubiq_hours_statement_wizard
