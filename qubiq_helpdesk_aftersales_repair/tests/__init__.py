from . import test_repair
