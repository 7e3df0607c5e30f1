"""What the portal accepts (files), when a customer may reopen, the rate limit, and
the SLA clock as the customer sees it."""

from datetime import datetime, timedelta

import pytest
from qubiq_portal_checks import (
    attachment_problem,
    can_reopen,
    extension,
    looks_like_text,
    rate_limited,
    reopen_deadline,
    sla_rows,
)

MB = 1024 * 1024
OOXML = "application/vnd.openxmlformats-officedocument"
ODF = "application/vnd.oasis.opendocument"


@pytest.mark.parametrize(
    ("filename", "size", "mimetype", "head", "expected"),
    [
        ("captura.png", 2 * MB, "image/png", b"\x89PNG", None),
        ("CAPTURA.JPG", 100, "image/jpeg", b"\xff\xd8", None),
        ("error.pdf", 100, "application/pdf", b"%PDF", None),
        ("registro.log", 100, "application/octet-stream", b"Traceback (most", None),
        ("export.csv", 100, "text/plain", "año;cliente".encode(), None),
        ("export-latin1.csv", 100, "text/plain", "año;cliente".encode("latin-1"), None),
        ("libro.xlsx", 100, f"{OOXML}.spreadsheetml.sheet", b"PK", None),
        ("hoja.ods", 100, f"{ODF}.spreadsheet", b"PK", None),
        ("datos.zip", 100, "application/zip", b"PK", None),
        ("grabacion.mp4", 100, "application/octet-stream", b"\x00\x00", None),
        # refused
        ("vacio.png", 0, "image/png", b"", "empty"),
        ("enorme.png", 10 * MB + 1, "image/png", b"\x89PNG", "too_big"),
        ("programa.exe", 100, "application/octet-stream", b"MZ", "extension"),
        ("pagina.html", 100, "application/xml", b"<html>", "extension"),
        ("dibujo.svg", 100, "image/svg+xml", b"<svg", "extension"),
        ("sin-extension", 100, "image/png", b"\x89PNG", "extension"),
        ("captura.png", 100, "application/octet-stream", b"MZ", "content"),
        ("factura.pdf", 100, "image/png", b"\x89PNG", "content"),
        ("truco.png", 100, "image/svg+xml", b"<svg", "content"),
        ("libro.xlsx", 100, "application/octet-stream", b"MZ", "content"),
        ("registro.txt", 100, "application/octet-stream", b"\x00\x01\x02", "content"),
    ],
)
def test_attachment_problem(filename, size, mimetype, head, expected):
    assert attachment_problem(filename, size, mimetype, head, 10 * MB) == expected


def test_extension_ignores_directories_and_case():
    assert extension("C:\\Users\\ana\\Captura.PNG") == ".png"
    assert extension("informe.final.PDF") == ".pdf"
    assert extension("") == ""


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"plain ascii text\nwith lines", True),
        ("acentos: compañía, línea".encode(), True),
        ("acentos: compañía".encode()[:-1], True),  # cut inside a character
        ("compañía".encode("latin-1"), True),
        (b"\x00\x01\x02\x03", False),
        (bytes(range(1, 32)) * 4, False),
    ],
)
def test_looks_like_text(head, expected):
    assert looks_like_text(head) is expected


def test_reopen_window():
    closed = datetime(2026, 3, 2, 17, 0)
    assert reopen_deadline(closed, 7) == datetime(2026, 3, 9, 17, 0)
    assert can_reopen(closed, 7, datetime(2026, 3, 9, 17, 0))
    assert not can_reopen(closed, 7, datetime(2026, 3, 9, 17, 1))
    assert reopen_deadline(closed, 0) is None
    assert not can_reopen(closed, 0, closed)
    assert not can_reopen(None, 7, closed)


@pytest.mark.parametrize(
    ("count", "limit", "expected"),
    [(0, 10, False), (9, 10, False), (10, 10, True), (50, 0, False), (1, 1, True)],
)
def test_rate_limited(count, limit, expected):
    assert rate_limited(count, limit) is expected


NOW = datetime(2026, 3, 4, 10, 0)
RESPONSE = NOW + timedelta(hours=2)
RESOLUTION = NOW + timedelta(days=3)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Nothing answered yet: both clocks running.
        (
            {"response_deadline": RESPONSE, "resolution_deadline": RESOLUTION},
            [("response", "due", RESPONSE), ("resolution", "due", RESOLUTION)],
        ),
        # The first answer was late.
        (
            {"response_deadline": NOW - timedelta(minutes=1)},
            [("response", "late", NOW - timedelta(minutes=1))],
        ),
        # Answered; the solution is due.
        (
            {
                "response_deadline": RESPONSE,
                "first_response_date": NOW - timedelta(hours=1),
                "resolution_deadline": RESOLUTION,
            },
            [
                ("response", "done", NOW - timedelta(hours=1)),
                ("resolution", "due", RESOLUTION),
            ],
        ),
        # Waiting for the customer: paused, even with the deadline unknown.
        (
            {"paused": True, "has_sla": True},
            [("response", "paused", None), ("resolution", "paused", None)],
        ),
        # A paused clock is never shown late.
        (
            {
                "paused": True,
                "first_response_date": NOW - timedelta(days=2),
                "resolution_deadline": NOW - timedelta(hours=1),
            },
            [
                ("response", "done", NOW - timedelta(days=2)),
                ("resolution", "paused", NOW - timedelta(hours=1)),
            ],
        ),
        # Closed: solved at the close date, the unanswered response is dropped.
        (
            {
                "response_deadline": RESPONSE,
                "resolution_deadline": RESOLUTION,
                "closed": True,
                "closed_date": NOW,
            },
            [("resolution", "done", NOW)],
        ),
        # No SLA (a new requirement, or no policy at all).
        ({"has_sla": False, "paused": True}, []),
        ({}, []),
    ],
)
def test_sla_rows(values, expected):
    assert sla_rows(NOW, **values) == expected
