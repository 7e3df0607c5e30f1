from . import test_install
from . import test_pack_sale
from . import test_consumption
from . import test_allocation
from . import test_rebalance
from . import test_invoicing
from . import test_warnings
