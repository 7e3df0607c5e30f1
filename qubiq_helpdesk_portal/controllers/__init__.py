from . import portal
from . import ticket_form
from . import account_manager
