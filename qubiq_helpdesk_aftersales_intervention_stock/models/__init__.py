from . import res_users
from . import qubiq_intervention_part
from . import project_task
from . import stock_move
