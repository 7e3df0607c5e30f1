from . import test_aftersales_base
from . import test_team_switches
