from . import test_estimate_flow
from . import test_estimate_portal
from . import test_estimate_concurrency
