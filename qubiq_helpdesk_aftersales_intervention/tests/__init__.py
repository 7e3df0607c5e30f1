from . import test_intervention
from . import test_intervention_portal
