from . import report_account_review_summary
from . import qubiq_account_review_line
from . import qubiq_sla_percentile_report
