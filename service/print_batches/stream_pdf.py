"""Write one PDF from many, in a single streaming pass with bounded memory.

ReportLab keeps a whole document in memory until it saves, so a batch of 10,000 packs cannot be one
canvas. Instead the batch is rendered in chunks (each a small, complete PDF sharing its fonts and
forms), and each chunk's objects are copied, renumbered, straight to the output file. What stays in
memory is one chunk, plus an 8-byte offset per object and an 8-byte number per page.
"""

from __future__ import annotations

import io
import re
from array import array
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject, TextStringObject

_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
# A font subset's name starts with a six-letter tag ("AAAAAA+DejaVuSans"). Every chunk's ReportLab starts again at
# AAAAAA with a different subset, so each is given a tag of its own: a tool that matches fonts by name (a RIP,
# a merge) must never take one chunk's glyphs for another's.
_SUBSET = re.compile(r"^/?([A-Z]{6})\+(.+)$")
_PAGES_ID = 1  # reserved: the page tree, written last because it lists every page
_CATALOG_ID = 2


class _Ref(PdfObject):
    """A reference to an object in the output file (pypdf's IndirectObject points into a reader)."""

    def __init__(self, idnum: int) -> None:
        self.idnum = idnum

    def write_to_stream(self, stream, encryption_key=None) -> None:
        stream.write(b"%d 0 R" % self.idnum)


class StreamingPdfWriter:
    """Append whole PDFs (chunks) to `output`; `close()` writes the page tree, xref and trailer."""

    def __init__(self, output: BinaryIO, title: str = "") -> None:
        self.output = output
        self.title = title
        # Typed arrays, not dicts and lists: 8 bytes an entry, even for a batch of 10,000 packs.
        self._offsets = array("Q", [0, 0, 0])  # by object number; 0 means not written
        self._page_ids = array("Q")
        self._next_id = 3
        self._position = 0
        self._subsets = 0  # font subsets renamed so far: the next tag
        self._write(_HEADER)

    @property
    def page_count(self) -> int:
        return len(self._page_ids)

    def _write(self, data: bytes) -> None:
        self.output.write(data)
        self._position += len(data)

    def _write_object(self, idnum: int, obj: PdfObject) -> None:
        if idnum >= len(self._offsets):
            self._offsets.extend([0] * (idnum + 1 - len(self._offsets)))
        self._offsets[idnum] = self._position
        buffer = io.BytesIO()
        buffer.write(b"%d 0 obj\n" % idnum)
        obj.write_to_stream(buffer)
        buffer.write(b"\nendobj\n")
        self._write(buffer.getvalue())

    def append(self, pdf: bytes) -> int:
        """Copy every page of `pdf` (and what they use) to the output; return how many pages."""
        reader = PdfReader(io.BytesIO(pdf))
        page_numbers = [page.indirect_reference.idnum for page in reader.pages]  # before anything is renumbered
        skip = {reader.trailer.raw_get("/Root").idnum}
        if "/Info" in reader.trailer:
            skip.add(reader.trailer.raw_get("/Info").idnum)
        numbers = [n for n in sorted(reader.xref.get(0, {})) if n not in skip]
        objects = {n: reader.get_object(n) for n in numbers}
        for n, obj in list(objects.items()):
            if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/Pages":
                skip.add(n)
                del objects[n]
        self._rename_subsets(objects.values())
        mapping = {n: self._next_id + i for i, n in enumerate(objects)}
        self._next_id += len(objects)

        def remap(value):
            if isinstance(value, IndirectObject):
                if value.idnum in skip:  # a page's /Parent: our own page tree
                    return _Ref(_PAGES_ID)
                return _Ref(mapping[value.idnum])
            if isinstance(value, DictionaryObject):  # streams too: their dictionary holds the references
                for key in list(value.keys()):
                    value[NameObject(key)] = remap(value.raw_get(key))
                return value
            if isinstance(value, ArrayObject):
                for index, item in enumerate(value):
                    value[index] = remap(item)
                return value
            return value

        for n, obj in objects.items():
            self._write_object(mapping[n], remap(obj))
        self._page_ids.extend(mapping[n] for n in page_numbers)
        return len(page_numbers)

    def _subset_tag(self) -> str:
        number, letters = self._subsets, []
        self._subsets += 1
        for _ in range(6):
            number, digit = divmod(number, 26)
            letters.append(chr(ord("A") + digit))
        return "".join(reversed(letters))

    def _rename_subsets(self, objects) -> None:
        """Give every font subset of one appended PDF a tag no other part of the file uses."""
        tags: dict[str, str] = {}  # the chunk's own tag and name -> the file's; a font and its descriptor agree
        for obj in objects:
            if not isinstance(obj, DictionaryObject):
                continue
            for key in ("/BaseFont", "/FontName"):
                if obj.get("/Type") not in ("/Font", "/FontDescriptor") or key not in obj:
                    continue
                match = _SUBSET.match(str(obj[key]))
                if match:
                    old = f"{match.group(1)}+{match.group(2)}"
                    tags.setdefault(old, f"{self._subset_tag()}+{match.group(2)}")
                    obj[NameObject(key)] = NameObject("/" + tags[old])

    def _write_in_pieces(self, parts, piece: int = 4096) -> None:
        """Write an iterable of small byte strings a few thousand at a time (never all at once)."""
        buffer = []
        for part in parts:
            buffer.append(part)
            if len(buffer) >= piece:
                self._write(b"".join(buffer))
                buffer.clear()
        self._write(b"".join(buffer))

    def close(self) -> None:
        """Finish the file: page tree, catalogue, cross-reference table, trailer; each written in pieces."""
        self._offsets[_PAGES_ID] = self._position
        self._write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [" % (_PAGES_ID, len(self._page_ids)))
        self._write_in_pieces(b" %d 0 R" % page_id for page_id in self._page_ids)
        self._write(b" ] >>\nendobj\n")
        catalog = DictionaryObject({NameObject("/Type"): NameObject("/Catalog"), NameObject("/Pages"): _Ref(_PAGES_ID)})
        self._write_object(_CATALOG_ID, catalog)
        info_id = self._next_id
        self._next_id += 1
        info = DictionaryObject(
            {
                NameObject("/Title"): TextStringObject(self.title),
                NameObject("/Producer"): TextStringObject("Survey line"),
            }
        )
        self._write_object(info_id, info)
        xref_at = self._position
        size = self._next_id
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        self._write_in_pieces(
            b"%010d 00000 n \n" % self._offsets[i]
            if i < len(self._offsets) and self._offsets[i]
            else b"0000000000 65535 f \n"
            for i in range(1, size)
        )
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, _CATALOG_ID, info_id, xref_at)
        )
