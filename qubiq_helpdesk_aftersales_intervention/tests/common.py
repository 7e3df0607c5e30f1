# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.tools import file_open

# A real PNG, as the portal signature widget sends it (base64, no data-URI prefix).
with file_open("web/static/img/logo.png", "rb") as _logo:
    SIGNATURE = base64.b64encode(_logo.read()).decode()

# A small PNG photo, as the image field uploads it.
with file_open("web/static/img/placeholder.png", "rb") as _photo:
    PHOTO = base64.b64encode(_photo.read())


def create_worksheet_fixture(cls):
    """Field-service project with a worksheet template (two required
    questions), a team planning interventions in it, a customer with a portal
    contact, a technician who logs time, and an intervention task planned from
    a ticket (``cls.task``)."""
    from odoo import Command
    from odoo.tests import new_test_user

    env = cls.env
    cls.agent = new_test_user(
        env,
        login="worksheet_agent",
        name="Laura Agente",
        groups="helpdesk_mgmt.group_helpdesk_user,project.group_project_user",
    )
    cls.technician = new_test_user(
        env,
        login="worksheet_technician",
        name="Tomás Técnico",
        groups="project.group_project_user,hr_timesheet.group_hr_timesheet_user",
    )
    cls.employee = env["hr.employee"].create(
        {"name": "Tomás Técnico", "user_id": cls.technician.id}
    )
    cls.customer = env["res.partner"].create(
        {"name": "Talleres Pérez", "is_company": True}
    )
    cls.template = env["qubiq.worksheet.template"].create(
        {
            "name": "Equipment check",
            "question_ids": [
                Command.create(
                    {
                        "sequence": 1,
                        "name": "Serial number checked",
                        "kind": "checkbox",
                        "required": True,
                    }
                ),
                Command.create(
                    {
                        "sequence": 2,
                        "name": "Diagnosis",
                        "kind": "text",
                        "required": True,
                    }
                ),
                Command.create(
                    {"sequence": 3, "name": "Cables tidied", "kind": "checkbox"}
                ),
                Command.create(
                    {"sequence": 4, "name": "Photo of the unit", "kind": "photo"}
                ),
            ],
        }
    )
    cls.q_serial, cls.q_diagnosis, cls.q_cables, cls.q_photo = cls.template.question_ids
    cls.project = env["project.project"].create(
        {
            "name": "Field service",
            "privacy_visibility": "portal",
            "worksheet_template_id": cls.template.id,
        }
    )
    cls.team = env["helpdesk.ticket.team"].create(
        {
            "name": "Posventa",
            "use_aftersales_intervention": True,
            "intervention_project_id": cls.project.id,
            "user_ids": [Command.link(cls.agent.id)],
        }
    )
    cls.product = env["product.product"].create(
        {"name": "Power supply 24 V", "type": "consu"}
    )


def create_portal_customers(cls, lang, tz=False, login_prefix=""):
    """Two customer companies, each with a portal contact (``cls.portal_user``
    of Talleres Pérez, ``cls.other_portal_user`` of Ferretería Gómez), and a
    field-service project shared on the portal (``cls.project``)."""
    from odoo.tests import new_test_user

    env = cls.env
    cls.customer = env["res.partner"].create(
        {"name": "Talleres Pérez", "is_company": True}
    )
    cls.other_customer = env["res.partner"].create(
        {"name": "Ferretería Gómez", "is_company": True}
    )
    cls.portal_user = new_test_user(
        env,
        login=f"{login_prefix}perez_portal",
        name="Ana Pérez",
        groups="base.group_portal",
        lang=lang,
        tz=tz,
    )
    cls.portal_user.partner_id.parent_id = cls.customer
    cls.other_portal_user = new_test_user(
        env,
        login=f"{login_prefix}gomez_portal",
        name="Luis Gómez",
        groups="base.group_portal",
        lang=lang,
        tz=tz,
    )
    cls.other_portal_user.partner_id.parent_id = cls.other_customer
    cls.project = env["project.project"].create(
        {"name": "Field service", "privacy_visibility": "portal"}
    )


def plan_intervention(ticket, agent, **values):
    """Plan an intervention from ``ticket`` with the wizard, as ``agent``."""
    action = ticket.with_user(agent).action_aftersales_intervention()
    wizard = (
        ticket.env[action["res_model"]]
        .with_user(agent)
        .with_context(**action["context"])
        .create(values)
    )
    wizard.action_create_task()
    return ticket.intervention_task_ids.sorted("id")[-1]
