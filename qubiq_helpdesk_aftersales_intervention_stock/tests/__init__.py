from . import test_intervention_stock
