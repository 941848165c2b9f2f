"""ReportLab's QR encoder, choosing its mask the same way, with the scoring done on arrays.

A QR code is drawn on every page of every pack, and ReportLab scores each of the eight masks by walking
the modules in Python: most of a pack's drawing time. Here the unmasked symbol is laid out once, each mask
applied to its data modules as an array, and each mask scored by the same four rules, as ReportLab
computes them (including its quirks: rule 3 counts only the horizontal pattern, once each, and not at the
last position of a row). The mask chosen, and so every module, is ReportLab's (tests/packs/test_qr_masks.py).
"""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from reportlab.graphics.barcode import qrencoder

_FINDER_LIKE = np.array([1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], dtype=bool)


@cache
def _data_layout(version: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows and columns of the data modules of a symbol of `version`, and each mask's bit at each of them."""
    code = qrencoder.QRCode(version, qrencoder.QRErrorCorrectLevel.M)
    code.moduleCount = version * 4 + 17
    positions = list(code.dataPosIterator())
    rows = np.array([row for _, row in positions])
    cols = np.array([col for col, _ in positions])
    masks = np.array(
        [[bool(qrencoder.QRUtil.getMask(m)(row, col)) for col, row in positions] for m in range(8)], dtype=bool
    )
    return rows, cols, masks


def _runs_score(modules: np.ndarray) -> int:
    """Rule 1 along the columns: each run of five or more alike scores its length less two."""
    size = modules.shape[0]
    change = np.ones((size + 1, size), dtype=bool)
    change[1:-1] = modules[1:] != modules[:-1]
    lengths = np.diff(np.flatnonzero(change.T.ravel()))
    return int((lengths[lengths >= 5] - 2).sum())


def lost_points(modules: np.ndarray) -> int:
    """ReportLab's QRUtil.getLostPoint of `modules` (True dark)."""
    score = _runs_score(modules) + _runs_score(modules.T)
    corner = modules[1:, 1:]
    score += 3 * int(
        ((corner == modules[1:, :-1]) & (corner == modules[:-1, 1:]) & (corner == modules[:-1, :-1])).sum()
    )
    size = modules.shape[0]
    windows = sliding_window_view(modules, len(_FINDER_LIKE), axis=1)[:, : size - len(_FINDER_LIKE)]
    score += 40 * int((windows == _FINDER_LIKE).all(axis=2).sum())
    dark = int(modules.sum())
    score += 10 * (abs(100 * dark // (size * size) - 50) // 5)
    return score


class QRCode(qrencoder.QRCode):
    """ReportLab's encoder with the mask chosen on arrays (the same mask, the same modules)."""

    def getBestMaskPattern(self) -> int:  # noqa: N802 (ReportLab's name)
        self.makeImpl(True, 0)
        rows, cols, masks = _data_layout(self.version)
        laid_out = np.array(self.modules, dtype=bool)
        data = laid_out[rows, cols] ^ masks[0]
        best, best_score = 0, None
        for mask in range(8):
            laid_out[rows, cols] = data ^ masks[mask]
            score = lost_points(laid_out)
            if best_score is None or score < best_score:
                best, best_score = mask, score
        return best
