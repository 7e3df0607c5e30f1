from . import test_intervention
from . import test_intervention_portal
from . import test_intervention_schedule
from . import test_intervention_schedule_portal
from . import test_worksheet
from . import test_worksheet_portal
from . import test_worksheet_report
