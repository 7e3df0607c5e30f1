from . import account_move
from . import helpdesk_ticket
from . import helpdesk_ticket_team
