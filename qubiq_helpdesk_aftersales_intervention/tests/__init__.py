from . import test_intervention
