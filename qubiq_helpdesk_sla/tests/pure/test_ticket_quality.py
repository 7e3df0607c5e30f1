"""The good-ticket heuristics, on the support guide's own examples of a clear and
an ambiguous ticket."""

import importlib.util
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

_PATH = Path(__file__).resolve().parents[2] / "models" / "ticket_quality.py"
_spec = importlib.util.spec_from_file_location("qubiq_ticket_quality", _PATH)
tq = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tq)

GOOD_BODY = (
    "<p>Desde Contabilidad/Facturas de clientes he clicado en crear, he cambiado al "
    "diario de compras intracomunitarias, he rellenado la factura y al validar me ha "
    "repetido el número de la factura anterior. Lo podéis ver en la factura COMP/0001 "
    "tanto del proveedor X como del proveedor Y. Me pasa con el usuario de Lucía en la "
    "empresa Muebles Ebro Zaragoza.</p>"
)


def test_the_guides_clear_title_passes():
    assert (
        tq.title_warnings("Error de numeración al validar una factura de compra") == []
    )


def test_the_guides_ambiguous_title_is_flagged():
    assert tq.title_warnings("URGENTE! NO PUEDO FACTURAR") == ["all_caps", "urgent"]


def test_empty_and_short_titles():
    assert tq.title_warnings("   ") == ["empty"]
    assert tq.title_warnings("Error") == ["too_short"]
    assert tq.title_warnings("urgente: error en facturas") == ["urgent"]


def test_the_guides_clear_body_misses_only_evidence_without_attachments():
    assert tq.missing_details(GOOD_BODY, multi_company=True) == ["evidence"]
    assert tq.missing_details(GOOD_BODY, has_attachments=True, multi_company=True) == []


def test_the_guides_ambiguous_body_misses_everything():
    missing = tq.missing_details(
        "<p>Se me ha repetido la factura COMP/0001</p>", True, True
    )
    assert missing == ["short", "user", "company", "steps"]


def test_pasted_traceback_counts_as_evidence():
    body = (
        GOOD_BODY
        + "<pre>Traceback (most recent call last): odoo.exceptions.UserError</pre>"
    )
    assert "evidence" not in tq.missing_details(body)


def test_company_only_asked_of_multi_company_customers():
    body = "<p>" + "con el usuario pedro he pulsado en guardar y falla " * 3 + "</p>"
    assert "company" not in tq.missing_details(body, True, multi_company=False)
    assert "company" in tq.missing_details(body, True, multi_company=True)


@given(st.text())
def test_any_title_gives_known_codes(title):
    assert set(tq.title_warnings(title)) <= {"empty", "all_caps", "urgent", "too_short"}


@given(st.text(), st.booleans(), st.booleans())
def test_any_body_gives_known_codes(body, attachments, multi):
    codes = tq.missing_details(body, attachments, multi)
    assert set(codes) <= {"short", "user", "company", "steps", "evidence"}
    assert ("company" in codes) <= multi
