from . import test_account_manager_http
from . import test_install
from . import test_portal_http
from . import test_portal_tour
from . import test_record_rules
from . import test_satisfaction
from . import test_ticket_quality_js
from . import test_ticket_form
