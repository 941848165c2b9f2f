"""Pictures cut from stored scan pages for a person: the whole page, or one box with its neighbours."""

from __future__ import annotations

import cv2
import numpy as np

from service import storage
from service.models import ScanMark, ScanPage
from service.scans.images import PX_PER_MM

NEIGHBOUR_MARGIN_MM = 3.0
LABEL_WIDTH_MM = 70.0  # a tick box's option label runs to its right: show enough of it to read


def stored_pixels(image_key: str) -> np.ndarray:
    """A stored page image, grey."""
    data = np.frombuffer(storage.path_for(image_key).read_bytes(), dtype=np.uint8)
    pixels = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if pixels is None:
        raise ValueError(f"the stored image {image_key} cannot be decoded")
    return pixels


def _png(pixels: np.ndarray) -> bytes:
    ok, encoded = cv2.imencode(".png", pixels)
    if not ok:
        raise ValueError("could not encode the picture")
    return encoded.tobytes()


def page_picture(page: ScanPage) -> bytes:
    return storage.path_for(_image_key(page)).read_bytes()


def _image_key(page: ScanPage) -> str:
    """The page's stored image; a page whose image was deleted (read, discarded or erased) has none to show."""
    if page.image_key is None:
        raise FileNotFoundError(f"scan page {page.id} has no stored image")
    return page.image_key


def mark_picture(mark: ScanMark) -> bytes:
    """The box and its question's other boxes cut from the lined-up page, the box itself outlined."""
    pixels = stored_pixels(_image_key(mark.page))
    group = [m for m in mark.page.marks if m.question_code == mark.question_code] if mark.is_tick_box else [mark]
    extra = LABEL_WIDTH_MM if mark.is_tick_box else 0.0
    left = min(m.left_mm for m in group) - NEIGHBOUR_MARGIN_MM
    top = min(m.top_mm for m in group) - NEIGHBOUR_MARGIN_MM
    right = max(m.left_mm + m.width_mm for m in group) + NEIGHBOUR_MARGIN_MM + extra
    bottom = max(m.top_mm + m.height_mm for m in group) + NEIGHBOUR_MARGIN_MM
    y0, x0 = max(0, int(top * PX_PER_MM)), max(0, int(left * PX_PER_MM))
    y1, x1 = min(pixels.shape[0], int(bottom * PX_PER_MM)), min(pixels.shape[1], int(right * PX_PER_MM))
    picture = cv2.cvtColor(pixels[y0:y1, x0:x1], cv2.COLOR_GRAY2BGR)
    if mark.is_tick_box and len(group) > 1:
        # Outline the box being asked about, in a colour no pen leaves, well clear of the box's own ink.
        pad = 1.6 * PX_PER_MM
        bx0, by0 = int(mark.left_mm * PX_PER_MM - x0 - pad), int(mark.top_mm * PX_PER_MM - y0 - pad)
        bx1 = int((mark.left_mm + mark.width_mm) * PX_PER_MM - x0 + pad)
        by1 = int((mark.top_mm + mark.height_mm) * PX_PER_MM - y0 + pad)
        cv2.rectangle(picture, (bx0, by0), (bx1, by1), (180, 60, 0), 3)
    return _png(picture)
