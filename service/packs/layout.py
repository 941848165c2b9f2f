"""Page geometry and type sizes, measured from the page's top-left corner as Notify's letter rules are.

ReportLab measures from the bottom-left in points; `to_points` is the one place that converts.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
PAGE_SIZE = A4

# GOV.UK Notify precompiled-letter rules.
MARGIN_LEFT_RIGHT_MM = 15.0
MARGIN_TOP_BOTTOM_MM = 5.0
ADDRESS_LEFT_FROM_LEFT_OF_PAGE_MM = 24.6
ADDRESS_RIGHT_FROM_LEFT_OF_PAGE_MM = 120.0
ADDRESS_TOP_FROM_TOP_OF_PAGE_MM = 39.5
ADDRESS_BOTTOM_FROM_TOP_OF_PAGE_MM = 66.3
ADDRESS_INSET_MM = 1.0  # keep ink clear of the window's edge
ADDRESS_MIN_FONT_SIZE_PT = 8.0  # Notify re-sets an address at 8 pt: every line must fit the window at this size
ADDRESS_LEADING_RATIO = 1.2
CLEAR_ZONE_TOP_FROM_TOP_OF_PAGE_MM = 30.0  # page 1: only the window and the contact column in 30-95 mm
CLEAR_ZONE_BOTTOM_FROM_TOP_OF_PAGE_MM = 95.0
CONTACT_COLUMN_LEFT_FROM_LEFT_OF_PAGE_MM = 125.0
CONTACT_COLUMN_RIGHT_FROM_LEFT_OF_PAGE_MM = 195.0
CONTACT_COLUMN_TOP_FROM_TOP_OF_PAGE_MM = 32.0
LETTER_BODY_TOP_FROM_TOP_OF_PAGE_MM = 97.0  # body from 95 mm; 2 mm so ascenders stay below the line
ORGANISATION_TOP_FROM_TOP_OF_PAGE_MM = 12.0

CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM = MARGIN_LEFT_RIGHT_MM
CONTENT_RIGHT_FROM_LEFT_OF_PAGE_MM = PAGE_WIDTH_MM - MARGIN_LEFT_RIGHT_MM
CONTENT_TOP_FROM_TOP_OF_PAGE_MM = 12.0
CONTENT_BOTTOM_FROM_TOP_OF_PAGE_MM = 272.0  # the footer (reference, page, barcode) lives below

# Footer on every page: reference and "Page x of y" on the left, a QR code and a Code 128 barcode of reference
# and page on the right (two symbols, so one smudge does not lose the page). The text sits above the bottom
# registration marks; both symbols keep their quiet zones clear of the text and of the marks.
FOOTER_TEXT_BASELINE_FROM_BOTTOM_OF_PAGE_MM = 12.5
BARCODE_BOTTOM_FROM_BOTTOM_OF_PAGE_MM = 7.0
BARCODE_HEIGHT_MM = 12.0
BARCODE_MODULE_WIDTH_MM = 0.5  # 20 mil: a scan at 150 dpi still has 3 pixels a module
BARCODE_RIGHT_FROM_LEFT_OF_PAGE_MM = 183.0
QR_MODULE_MM = 0.6
QR_LEFT_FROM_LEFT_OF_PAGE_MM = 95.0
QR_BOTTOM_FROM_BOTTOM_OF_PAGE_MM = 7.0

# Registration marks: a solid disc near each corner of every page after the first (page 1 is the letter, whose
# corners belong to the print provider's rules). A disc's centre does not move when the page turns, so a reader
# finds the page's rotation, scale, shear and perspective from the four centres. Inside the printable area.
REGISTRATION_MARK_DIAMETER_MM = 5.0
REGISTRATION_MARK_CENTRES_MM = (  # (from left, from top): top-left, top-right, bottom-left, bottom-right
    (17.5, 7.5),
    (192.5, 7.5),
    (17.5, 289.5),
    (192.5, 289.5),
)

# Return page: the cut-out label sits behind the address window of page 1 when printed long-edge duplex, so
# cutting it out takes only the caller's own address from the letter, not any of its text.
LABEL_LEFT_FROM_LEFT_OF_PAGE_MM = PAGE_WIDTH_MM - ADDRESS_RIGHT_FROM_LEFT_OF_PAGE_MM - 5.0
LABEL_RIGHT_FROM_LEFT_OF_PAGE_MM = PAGE_WIDTH_MM - MARGIN_LEFT_RIGHT_MM - 5.0
LABEL_TOP_FROM_TOP_OF_PAGE_MM = 34.0
LABEL_BOTTOM_FROM_TOP_OF_PAGE_MM = 97.0
RETURN_STEPS_TOP_FROM_TOP_OF_PAGE_MM = 104.0


def to_points(x_from_left_mm: float, y_from_top_mm: float) -> tuple[float, float]:
    """Turn a point given in mm from the top-left into ReportLab points from the bottom-left."""
    return x_from_left_mm * mm, (PAGE_HEIGHT_MM - y_from_top_mm) * mm


@dataclass(frozen=True)
class Rect:
    """A frame in ReportLab points: left, bottom, width, height."""

    x: float
    y: float
    width: float
    height: float

    @classmethod
    def from_top_left_mm(cls, left: float, top: float, right: float, bottom: float) -> Rect:
        x, y = to_points(left, bottom)
        return cls(x, y, (right - left) * mm, (bottom - top) * mm)

    @property
    def top(self) -> float:
        return self.y + self.height


CONTENT_FRAME = Rect.from_top_left_mm(
    CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM,
    CONTENT_TOP_FROM_TOP_OF_PAGE_MM,
    CONTENT_RIGHT_FROM_LEFT_OF_PAGE_MM,
    CONTENT_BOTTOM_FROM_TOP_OF_PAGE_MM,
)


@dataclass(frozen=True)
class PrintStyle:
    """Type sizes (pt) and answer-box sizes (mm) of one format."""

    body_pt: float
    leading_pt: float
    heading_pt: float
    title_pt: float
    address_max_pt: float
    tick_box_mm: float
    option_gap_mm: float
    writing_line_mm: float
    number_gutter_mm: float
    block_gap_mm: float


STYLES = {
    "standard": PrintStyle(
        body_pt=12,
        leading_pt=15.5,
        heading_pt=15,
        title_pt=18,
        address_max_pt=12,
        tick_box_mm=6,
        option_gap_mm=2.2,
        writing_line_mm=9,
        number_gutter_mm=12,
        block_gap_mm=6,
    ),
    # Clear print: 16 pt or more, sans serif, left aligned, black on white; boxes grow with the type.
    "large_print": PrintStyle(
        body_pt=16,
        leading_pt=21,
        heading_pt=20,
        title_pt=24,
        address_max_pt=16,
        tick_box_mm=8,
        option_gap_mm=3,
        writing_line_mm=12,
        number_gutter_mm=16,
        block_gap_mm=8,
    ),
}
