"""Which page of which pack a scan is: read from its QR code or Code 128 barcode, either way up."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import zxingcpp

from service.reference import check_digit

_VALUE = re.compile(r"^(\d{10})-(\d{2})$")
_FORMATS = [zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128]
STRIP_FRACTION = 0.16  # the footer, where both symbols are, lies in the bottom 16% of the page


@dataclass(frozen=True)
class PageIdentity:
    reference: str
    page_number: int
    upside_down: bool


def parse_barcode_value(text: str) -> tuple[str, int] | None:
    """`4829135570-03` -> (reference, page number), or None when it is not one of our page codes."""
    found = _VALUE.match(text.strip())
    if not found or check_digit(found.group(1)) != "0" or int(found.group(2)) < 1:
        return None
    return found.group(1), int(found.group(2))


def _read(pixels: np.ndarray) -> list:
    # zxing-cpp takes a list of formats (its `|` for a set of them is deprecated); its stubs know only the set type.
    return zxingcpp.read_barcodes(pixels, formats=_FORMATS, try_rotate=True, try_downscale=True)  # type: ignore[arg-type]


def identify(pixels: np.ndarray) -> PageIdentity | None:
    """Find the page code on a grey page image; None when neither symbol can be read.

    The bottom strip is tried first, then the top strip (a page fed upside down), then the whole page.
    """
    height = pixels.shape[0]
    strip = int(height * STRIP_FRACTION)
    for part, offset in ((pixels[height - strip :], height - strip), (pixels[:strip], 0), (pixels, 0)):
        values: dict[tuple[str, int], list[bool]] = {}
        for barcode in _read(np.ascontiguousarray(part)):
            parsed = parse_barcode_value(barcode.text)
            if parsed is None:
                continue
            # Printed in the footer: a symbol found in the page's top half means the page is upside down.
            centre_y = offset + sum(p.y for p in (barcode.position.top_left, barcode.position.bottom_right)) / 2
            values.setdefault(parsed, []).append(centre_y < height / 2)
        if values:
            # Both symbols normally agree; if they ever do not, the value read more often wins.
            (reference, page_number), flips = max(values.items(), key=lambda item: len(item[1]))
            return PageIdentity(reference, page_number, upside_down=sum(flips) * 2 > len(flips))
    return None
