from . import test_return
from . import test_return_portal
