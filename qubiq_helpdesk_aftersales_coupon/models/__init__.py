from . import helpdesk_ticket
from . import helpdesk_ticket_team
from . import loyalty_card
