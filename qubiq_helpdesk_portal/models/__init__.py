from . import portal_checks
from . import res_company
from . import res_config_settings
from . import res_partner
from . import helpdesk_ticket
from . import qubiq_satisfaction_followup
from . import ir_attachment
