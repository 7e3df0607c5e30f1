from . import test_ticket_links
