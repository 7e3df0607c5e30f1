# res.company first: its column must exist when product.template fills its
# new warranty column from the company default (install, -u).
from . import res_company
from . import res_config_settings
from . import helpdesk_ticket
from . import product_template
from . import repair_order
