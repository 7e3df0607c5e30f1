from . import qubiq_helpdesk_rating_report
