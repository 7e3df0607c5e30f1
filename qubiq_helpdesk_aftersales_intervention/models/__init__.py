from . import helpdesk_ticket
from . import helpdesk_ticket_team
from . import qubiq_worksheet_template
from . import qubiq_worksheet_template_question
from . import qubiq_worksheet_answer
from . import qubiq_intervention_part
from . import project_project

# before project_task: its create/write (the readiness check) wrap the
# worksheet's (answers created from the template)
from . import project_task_worksheet
from . import project_task
from . import project_task_schedule
from . import account_analytic_line
