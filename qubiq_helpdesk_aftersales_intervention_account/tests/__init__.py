from . import test_intervention_account
