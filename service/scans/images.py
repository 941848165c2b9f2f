"""Scanned files to page images: multi-page PDF, TIFF, JPEG or PNG, colour, grey or 1-bit, at any resolution.

Every page comes out grey (uint8, paper light) at WORK_DPI, whatever it went in as: the reader's thresholds are
set once, in millimetres, for that one resolution.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageSequence

from service.packs.layout import PAGE_WIDTH_MM

WORK_DPI = 150.0
PX_PER_MM = WORK_DPI / 25.4
PDF_RENDER_DPI = 200.0  # a PDF page is drawn at this, then brought to WORK_DPI like any other scan
MAX_PAGES = 2000  # a stack larger than this is refused: split it
MAX_PIXELS = 12_000 * 12_000  # a 600 dpi A3 is 7,000 x 9,900; anything larger is not a page


class UnreadableFile(ValueError):
    """The file is not a PDF, TIFF, JPEG or PNG we can open; the message says what to do."""


@dataclass(frozen=True)
class PageImage:
    """One scanned page as grey pixels at WORK_DPI, and whether it arrived as black and white only."""

    pixels: np.ndarray
    one_bit: bool
    raw: np.ndarray | None = None  # a black-and-white page as it came, for the barcode reader (kept unsmoothed)


def kind_of(data: bytes) -> str:
    """Say what a file is from its first bytes: pdf, tiff, jpeg or png, or raise UnreadableFile."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    raise UnreadableFile("This file is not a PDF, TIFF, JPEG or PNG scan")


def _to_work_dpi(grey: np.ndarray, one_bit: bool) -> PageImage:
    # The resolution is measured from the page itself (an A4 page is 210 mm across, portrait or landscape),
    # because scanners write wrong or no resolution tags often enough not to trust them.
    width_mm = PAGE_WIDTH_MM if grey.shape[0] >= grey.shape[1] else PAGE_WIDTH_MM * 297 / 210
    dpi = grey.shape[1] / (width_mm / 25.4)
    raw = grey if one_bit else None
    if one_bit:
        # Dithered or thresholded black and white: smooth it back towards grey before sampling down.
        grey = cv2.GaussianBlur(grey, (0, 0), sigmaX=max(1.0, 0.5 * dpi / WORK_DPI))
    factor = WORK_DPI / dpi
    if abs(factor - 1) > 0.02:
        interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
        grey = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=interpolation)
    return PageImage(np.ascontiguousarray(grey), one_bit, raw)


def _from_pil(image: Image.Image) -> PageImage:
    if image.width * image.height > MAX_PIXELS:
        raise UnreadableFile("A page of this scan is far larger than A4 at 600 dpi")
    one_bit = image.mode == "1"
    grey = np.asarray(image.convert("L"), dtype=np.uint8)
    if not one_bit and grey.size:
        # A grey file holding only black and white (some scanners save 1-bit pages as 8-bit) counts as 1-bit.
        sample = grey[:: max(1, grey.shape[0] // 200), :: max(1, grey.shape[1] // 200)]
        one_bit = bool(np.isin(sample, (0, 255)).all())
    return _to_work_dpi(grey, one_bit)


def _pdf_pages(data: bytes) -> Iterator[PageImage]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise UnreadableFile("This PDF cannot be opened: it may be damaged or password-protected") from error
    try:
        if len(document) > MAX_PAGES:
            raise UnreadableFile(f"This PDF has more than {MAX_PAGES} pages: split it")
        for index in range(len(document)):
            bitmap = document[index].render(scale=PDF_RENDER_DPI / 72, grayscale=True)
            yield _from_pil(bitmap.to_pil())
    finally:
        document.close()


def count_pages(data: bytes) -> int:
    """How many pages a scanned file holds."""
    kind = kind_of(data)
    if kind == "pdf":
        import pypdfium2 as pdfium

        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise UnreadableFile("This PDF cannot be opened: it may be damaged or password-protected") from error
        try:
            return len(document)
        finally:
            document.close()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # damaged metadata: Pillow warns, and the pixels may still be fine
            with Image.open(io.BytesIO(data)) as image:
                return getattr(image, "n_frames", 1)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise UnreadableFile("This image cannot be opened: it may be damaged") from error


def _single_image(data: bytes, kind: str) -> PageImage | None:
    """A one-page JPEG or grey PNG decoded by OpenCV, a JPEG straight at a half or a quarter of its size when
    that is still at least WORK_DPI (several times faster than decoding it whole); None to let Pillow do it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height, mode = image.width, image.height, image.mode
    if mode == "1" or width * height > MAX_PIXELS:
        return None
    flag = cv2.IMREAD_GRAYSCALE
    if kind == "jpeg":
        across = width if height >= width else width * 210 / 297
        dpi = across / (PAGE_WIDTH_MM / 25.4)
        if dpi >= 3.9 * WORK_DPI:
            flag = cv2.IMREAD_REDUCED_GRAYSCALE_4
        elif dpi >= 1.95 * WORK_DPI:
            flag = cv2.IMREAD_REDUCED_GRAYSCALE_2
    grey = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), flag)
    if grey is None:
        return None
    return _to_work_dpi(grey, False)


def page_images(data: bytes) -> Iterator[PageImage]:
    """Every page of a scanned file, in file order, at WORK_DPI."""
    kind = kind_of(data)
    if kind == "pdf":
        yield from _pdf_pages(data)
        return
    if kind in ("jpeg", "png"):
        try:
            page = _single_image(data, kind)
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            raise UnreadableFile("This image cannot be opened: it may be damaged") from error
        if page is not None:
            yield page
            return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                for count, frame in enumerate(ImageSequence.Iterator(image)):
                    if count >= MAX_PAGES:
                        raise UnreadableFile(f"This file has more than {MAX_PAGES} pages: split it")
                    yield _from_pil(frame)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise UnreadableFile("This image cannot be opened: it may be damaged") from error
