from . import test_sla_policy
from . import test_sla_stories
from . import test_engine_vs_plan_hours
from . import test_customer_links
from . import test_support_floor
from . import test_query_counts
from . import test_customer_mails
from . import test_waiting_customer
