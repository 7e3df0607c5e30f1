from . import test_monthly_pack
from . import test_warnings
from . import test_portal_compliance
from . import test_concurrency
from . import test_review_screen
