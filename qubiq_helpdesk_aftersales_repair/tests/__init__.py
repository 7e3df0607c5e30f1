from . import test_repair
from . import test_repair_warranty
