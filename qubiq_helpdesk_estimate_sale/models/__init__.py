from . import estimate_engine
from . import res_company
from . import res_config_settings
from . import helpdesk_ticket_team
from . import helpdesk_ticket
from . import sale_order
from . import account_analytic_line
from . import qubiq_hours_allocation
