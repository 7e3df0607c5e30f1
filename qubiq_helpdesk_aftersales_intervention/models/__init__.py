from . import helpdesk_ticket
from . import helpdesk_ticket_team
from . import project_task
from . import project_task_schedule
from . import project_project
