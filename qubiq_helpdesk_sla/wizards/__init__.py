from . import qubiq_helpdesk_phone_ticket
from . import qubiq_sla_compliance
