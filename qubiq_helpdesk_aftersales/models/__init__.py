from . import helpdesk_ticket
from . import helpdesk_ticket_team
from . import ir_model_data
