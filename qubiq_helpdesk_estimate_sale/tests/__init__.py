from . import test_estimate_flow
