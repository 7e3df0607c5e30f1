from . import helpdesk_ticket
from . import stock_picking
