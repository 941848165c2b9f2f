"""The QR code on every page is ReportLab's, module for module: only the way its mask is chosen is faster."""

from __future__ import annotations

import random

from reportlab.graphics.barcode import qrencoder

from service.packs.qr_masks import QRCode


def modules(code_class, value: str) -> list[list[bool]]:
    code = code_class(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    size = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(size)] for row in range(size)]


def test_every_page_code_gets_reportlabs_mask_and_modules():
    rng = random.Random(18)
    values = [f"{rng.randrange(10**10):010d}-{rng.randrange(1, 15):02d}" for _ in range(300)]
    values += ["0000000000-01", "9999999999-14", "a long value that needs a bigger symbol, version 4 or more"]
    for value in values:
        assert modules(QRCode, value) == modules(qrencoder.QRCode, value), value
