# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from lxml import html

from odoo import http
from odoo.tests import HttpCase, new_test_user

from odoo.addons.qubiq_helpdesk_sla.tests.common import SlaCase

# A 1x1 PNG: a real image for the upload checks.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)


class PortalCase(SlaCase):
    """SlaCase's calendar, policy and contract customer (Muebles Ebro, with an
    account manager), plus three portal users: a designated contact and a plain
    colleague of Muebles Ebro, and a contact of another customer (Bodegas). One
    ticket each; the designated contact's ticket has a public answer and an internal
    note, each with a file."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "helpdesk_mgmt_portal_select_team": True,
                "helpdesk_mgmt_portal_team_id_required": False,
                "helpdesk_mgmt_portal_category_id_required": False,
                "qubiq_portal_emergency_phone": "931 797 762",
                "qubiq_portal_reopen_days": 7,
                "qubiq_portal_max_attachment_mb": 1,
                "qubiq_portal_ticket_rate_limit": 5,
            }
        )
        cls.stage_done.rating_mail_template_id = cls.env.ref(
            "helpdesk_mgmt_rating.rating_ticket_email_template"
        )
        cls.team.write({"show_in_portal": True, "user_id": cls.agent.id})
        cls.hidden_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Desarrollo interno", "show_in_portal": False}
        )
        cls.other_company = cls.env["res.company"].create({"name": "Qubiq Levante"})
        cls.other_company_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Soporte Levante",
                "company_id": cls.other_company.id,
                "show_in_portal": True,
            }
        )
        cls.account_manager = new_test_user(
            cls.env,
            login="portal_am",
            name="Sofía Navarro",
            email="sofia@qubiq.example.com",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
            lang="en_US",
        )
        cls.customer.account_manager_id = cls.account_manager
        cls.designated = cls._portal_user(
            "portal_designated", "Javier Lorente", cls.customer, designated=True
        )
        cls.colleague = cls._portal_user("portal_colleague", "Ana Ruiz", cls.customer)
        cls.outsider = cls._portal_user(
            "portal_outsider", "Marta Ruiz", cls.other_customer
        )
        cls.ticket_designated = cls._ticket(
            cls.designated, "No se puede confirmar el pedido S00123"
        )
        cls.ticket_colleague = cls._ticket(
            cls.colleague, "El albarán de salida no imprime el lote", priority="1"
        )
        cls.ticket_outsider = cls._ticket(
            cls.outsider, "La tarifa de distribuidores no se aplica"
        )
        cls.ticket_designated.with_user(cls.agent).message_post(
            body="RESPUESTA-PUBLICA: ¿desde qué almacén sale el pedido?",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[("respuesta-publica.txt", b"public answer")],
        )
        cls.ticket_designated.with_user(cls.agent).message_post(
            body="NOTA-INTERNA: la ruta de reabastecimiento está mal configurada",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachments=[("nota-interna.txt", b"internal only")],
        )

    @classmethod
    def _portal_user(cls, login, name, parent, designated=False):
        user = new_test_user(
            cls.env,
            login=login,
            name=name,
            email=f"{login}@example.com",
            groups="base.group_portal",
            lang="en_US",
            tz="Europe/Madrid",
        )
        user.partner_id.write(
            {"parent_id": parent.id, "helpdesk_designated_contact": designated}
        )
        return user

    @classmethod
    def _ticket(cls, user, name, priority="2", **values):
        vals = {
            "name": name,
            "description": "<p>Pasos para reproducir...</p>",
            "team_id": cls.team.id,
            "partner_id": user.partner_id.id,
            "type_id": cls.incidencia.id,
            "priority": priority,
            "user_id": cls.agent.id,
        }
        vals.update(values)
        ticket = cls.env["helpdesk.ticket"].with_user(cls.agent).create(vals)
        ticket.message_subscribe(partner_ids=user.partner_id.ids)
        return ticket


class PortalHttpCase(HttpCase, PortalCase):
    """PortalCase over real HTTP (the server runs on the test cursor)."""

    def login(self, user):
        self.authenticate(user.login, user.login)

    def csrf(self):
        return http.Request.csrf_token(self)

    def post(self, url, data=None, files=None):
        data = dict(data or {}, csrf_token=self.csrf())
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def listed_numbers(self, response):
        tree = html.fromstring(response.content)
        return set(tree.xpath("//tr/@data-ticket-number"))

    def messages(self, ticket):
        return self.env["mail.message"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )

    def attachments(self, ticket):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )

    def new_ticket_data(self, **overrides):
        data = {
            "team": str(self.team.id),
            "type": str(self.incidencia.id),
            "subject": "Error de numeración al validar una factura de compra",
            "description": "Al validar la factura de compra me repite el número de "
            "la anterior.",
            "user_name": "Ana Ruiz",
            "company_name": "Muebles Ebro S.L.",
            "steps": "Contabilidad / Facturas de proveedor > Nuevo > Validar",
            "error_text": "odoo.exceptions.ValidationError: número duplicado",
            "priority": "1",
        }
        data.update(overrides)
        return data

    def tickets_of(self, user):
        return self.env["helpdesk.ticket"].search(
            [("partner_id", "=", user.partner_id.id)]
        )
