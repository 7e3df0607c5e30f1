# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The portal form's live hints (static/src/js/ticket_quality.esm.js) follow the same
rules as qubiq_helpdesk_sla's ticket_quality.py: one table of cases, run through the
Python code here and through the JavaScript in headless Chromium."""

import json

from odoo.tests import tagged

from odoo.addons.qubiq_helpdesk_sla.models import ticket_quality

from .common import PortalHttpCase

TITLES = [
    "",
    "   ",
    "URGENTE! NO PUEDO FACTURAR",
    "Error de numeración al validar una factura de compra",
    "urgentísimo: la factura no valida",
    "No puedo",
    "FACTURA ÑOÑA SIN NÚMERO",
    "ERROR 500 EN EL TPV",
    "Error 500",
    "ASAP revisar el pedido de venta",
    "Subimportante: no es la palabra urgente",
    "Pedido importantemente mal",
    "ÁÉÍÓÚ ÑÇ",
    "Asunto con\ttabuladores y  espacios",
]
SEED_CLEAR = (
    "<p>Desde Contabilidad/Facturas de clientes he clicado en crear, he cambiado al "
    "diario de compras intracomunitarias, he rellenado la factura y al validar me ha "
    "repetido el número de la factura anterior. Lo podéis ver en la factura COMP/0001 "
    "tanto del proveedor X como del proveedor Y</p>"
)
BODIES = [
    ("", False, False),
    ("<p>Se me ha repetido la factura COMP/0001</p>", False, False),
    (SEED_CLEAR, False, False),
    (SEED_CLEAR, True, True),
    (SEED_CLEAR + "<p>Con mi usuario, en la empresa Muebles Ebro.</p>", False, True),
    ("1. Entrar en Ventas 2. Crear pedido 3. Confirmar", False, False),
    ("Pasos: entrar en ventas y confirmar el pedido", False, False),
    ('Traceback (most recent call last): File "x.py", line 42', False, False),
    ("odoo.exceptions.ValidationError: el número ya existe", False, False),
    ("&lt;b&gt;usuario&lt;/b&gt; &amp; compañía &nbsp; sociedad", False, True),
    ("El login de la usuaria falla desde mi cuenta en la compañía", False, True),
    ("Ventas > Pedidos", False, False),
    ("Un texto con a/b corto y 12/05 fechas", False, False),
    ("usuarios superusuario nousuario", False, False),
    ("Línea 7 del informe, then clicked save", True, False),
    # Around the minimum length of a body (15 words).
    (" ".join(["palabra"] * 14), True, False),
    (" ".join(["palabra"] * 15), True, False),
]


@tagged("post_install", "-at_install")
class TestTicketQualityJs(PortalHttpCase):
    def test_javascript_mirror_gives_the_python_codes(self):
        cases = {
            "titles": [
                {"title": title, "expected": ticket_quality.title_warnings(title)}
                for title in TITLES
            ],
            "bodies": [
                {
                    "body": body,
                    "files": files,
                    "multi": multi,
                    "expected": ticket_quality.missing_details(body, files, multi),
                }
                for body, files, multi in BODIES
            ],
        }
        # The table covers every code of both checks.
        seen = {c for case in cases["titles"] for c in case["expected"]}
        self.assertEqual(seen, {"empty", "all_caps", "urgent", "too_short"})
        seen = {c for case in cases["bodies"] for c in case["expected"]}
        self.assertEqual(seen, {"short", "user", "company", "steps", "evidence"})
        module = "@qubiq_helpdesk_portal/js/ticket_quality.esm"
        code = f"""
            const quality = odoo.loader.modules.get("{module}");
            const cases = {json.dumps(cases)};
            const differ = [];
            for (const c of cases.titles) {{
                const got = quality.titleWarnings(c.title);
                if (JSON.stringify(got) !== JSON.stringify(c.expected)) {{
                    differ.push({{title: c.title, expected: c.expected, got}});
                }}
            }}
            for (const c of cases.bodies) {{
                const got = quality.missingDetails(c.body, c.files, c.multi);
                if (JSON.stringify(got) !== JSON.stringify(c.expected)) {{
                    differ.push({{body: c.body, expected: c.expected, got}});
                }}
            }}
            if (differ.length) {{
                console.error("JS differs: " + JSON.stringify(differ));
            }} else {{
                console.log("test successful");
            }}
        """
        self.browser_js(
            "/my",
            code,
            # The tour service is up once the page's services have started.
            ready=f"!!odoo.isTourReady && !!odoo.loader.modules.get('{module}')",
            login=self.colleague.login,
        )
