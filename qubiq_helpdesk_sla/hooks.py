# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """Give the tickets that are still open when the module is installed their SLA
    clocks, started when each ticket was created."""
    env.cr.execute(
        "UPDATE helpdesk_ticket SET sla_start_date = create_date WHERE sla_start_date "
        "IS NULL"
    )
    tickets = env["helpdesk.ticket"].search([("stage_id.closed", "=", False)])
    tickets.invalidate_recordset(["sla_start_date"])
    env["qubiq.sla.clock"]._start(tickets)
