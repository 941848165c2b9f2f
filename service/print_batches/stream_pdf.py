"""Write one PDF from many ReportLab PDFs (the packs as rendered, a cover sheet) in one streaming pass.

Every pack of a batch was rendered the same way (service/packs/form_xobjects.py): the same fonts with the same
codes, the same shared pages as form XObjects. So the writer copies each input's objects byte for byte,
renumbered, and writes a shared object (a font subset, a shared page, the font table they use) only the first
time its bytes occur: every later pack refers to that copy. A pack's own page content is always copied.

It reads the structure ReportLab writes and nothing more general: a classic cross-reference table, one
object after another, dictionaries without strings that look like references, no object streams, no
encryption. Anything else is refused (ValueError), never half copied.

What stays in memory: one input, an 8-byte offset per object and an 8-byte number per page written, and one
digest per distinct shared object (a few dozen a layout; more only for packs whose names need characters
outside the fonts' fixed repertoire).

Font subsets: every input's ReportLab names its first subset AAAAAA+DejaVuSans. Here each subset is named by
a digest of its font program, so two subsets in one file share a name only when they are the same glyphs:
a tool that matches fonts by name (a RIP, a merge) never takes one subset's glyphs for another's.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from typing import BinaryIO

_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
_PAGES_ID = 1  # reserved: the page tree, written last because it lists every page
_CATALOG_ID = 2

_REFERENCE = re.compile(rb"(\d+) 0 R\b")
_OBJECT_HEADER = re.compile(rb"(\d+) 0 obj\r?\n")
_TYPE = re.compile(rb"/Type /(\w+)")
_KIDS = re.compile(rb"/Kids \[([^\]]*)\]")
_CONTENTS = re.compile(rb"/Contents (\d+) 0 R")
_ROOT = re.compile(rb"/Root (\d+) 0 R")
_INFO = re.compile(rb"/Info (\d+) 0 R")
_SUBSET_NAME = re.compile(rb"/(FontName|BaseFont) /[A-Z]{6}\+([^\s/\]>]+)")
_FONT_FILE = re.compile(rb"/FontFile2? (\d+) 0 R")
_FONT_NAME = re.compile(rb"/FontName /(\S+)")


def _required(pattern: re.Pattern[bytes], dictionary: bytes) -> bytes:
    """The first group of `pattern` in a dictionary that must have it (ReportLab always writes it)."""
    match = pattern.search(dictionary)
    if match is None:
        raise ValueError(f"a PDF dictionary lacks {pattern.pattern!r}")
    return match.group(1)


_DESCRIPTOR = re.compile(rb"/FontDescriptor (\d+) 0 R")


class _Input:
    """One ReportLab PDF taken apart: each object's dictionary and the rest of it (its stream), by number."""

    def __init__(self, pdf: bytes) -> None:
        if b"/Encrypt" in pdf[-1024:] or b"/ObjStm" in pdf:
            raise ValueError("not a PDF this writer copies: encrypted, or with object streams")
        at = pdf.rfind(b"startxref")
        if at < 0:
            raise ValueError("no cross-reference table")
        xref = int(pdf[at + 9 :].split()[0])
        trailer_at = pdf.find(b"trailer", xref)
        rows = pdf[xref:trailer_at].split(b"\n")
        if rows[0].strip() != b"xref":
            raise ValueError("not a classic cross-reference table")
        first, count = (int(n) for n in rows[1].split())
        if first != 0:
            raise ValueError("a cross-reference table in sections")
        offsets = {}
        for number, row in enumerate(rows[2 : 2 + count]):
            if row[17:18] == b"n":
                offsets[number] = int(row[:10])
        trailer = pdf[trailer_at:at]
        root, info = _ROOT.search(trailer), _INFO.search(trailer)
        self.skip = {int(root.group(1))} if root else set()
        if info:
            self.skip.add(int(info.group(1)))
        # Objects are written one after another: each ends where the next begins (or the table does).
        ends = sorted(offsets.values()) + [xref]
        end_of = {start: ends[i + 1] for i, start in enumerate(ends[:-1])}
        self.dictionaries: dict[int, bytes] = {}
        self.rests: dict[int, bytes] = {}
        for number, start in offsets.items():
            header = _OBJECT_HEADER.match(pdf, start)
            if header is None or int(header.group(1)) != number:
                raise ValueError(f"object {number} is not where the table says")
            body = pdf[header.end() : pdf.rfind(b"endobj", start, end_of[start])].rstrip(b"\r\n")
            split = body.find(b"stream", body.find(b">>") if body.startswith(b"<<") else 0)
            if split > 0 and body.startswith(b"<<"):
                dictionary = body[: body.rfind(b">>", 0, split) + 2]
                self.dictionaries[number], self.rests[number] = dictionary, body[len(dictionary) :]
            else:
                self.dictionaries[number], self.rests[number] = body, b""
        self.pages: list[int] = []
        self.page_tree: set[int] = set()
        for number, dictionary in self.dictionaries.items():
            kind = _TYPE.search(dictionary)
            if kind and kind.group(1) == b"Pages":
                self.page_tree.add(number)
        root_dictionary = self.dictionaries.get(int(root.group(1))) if root else None
        top = re.search(rb"/Pages (\d+) 0 R", root_dictionary or b"")
        if top is None:
            raise ValueError("no page tree")
        self._walk(int(top.group(1)))
        self.page_set = set(self.pages)
        self.contents: set[int] = set()
        for page in self.pages:
            self.contents.update(int(n) for n in _CONTENTS.findall(self.dictionaries[page]))

    def _walk(self, number: int) -> None:
        kids = _KIDS.search(self.dictionaries[number])
        for kid in (int(n) for n in _REFERENCE.findall(kids.group(1) if kids else b"")):
            if kid in self.page_tree:
                self._walk(kid)
            else:
                self.pages.append(kid)

    def is_resource(self, number: int) -> bool:
        """What a page uses (its content, fonts, forms), as against the page tree, pages and catalogue."""
        return (
            number in self.dictionaries
            and number not in self.skip
            and number not in self.page_tree
            and number not in self.page_set
        )

    def references(self, number: int) -> list[int]:
        return [int(n) for n in _REFERENCE.findall(self.dictionaries[number])]


class StreamingPdfWriter:
    """Append whole ReportLab PDFs to `output`; `close()` writes the page tree, xref and trailer."""

    def __init__(self, output: BinaryIO, title: str = "") -> None:
        self.output = output
        self.title = title
        # Typed arrays, not dicts and lists: 8 bytes an entry, even for a batch of 10,000 packs.
        self._offsets = array("Q", [0, 0, 0])  # by object number; 0 means not written
        self._page_ids = array("Q")
        self._next_id = 3
        self._position = 0
        self._shared: dict[bytes, int] = {}  # digest of a shared object's bytes (as written) -> its number here
        self._font_names: dict[int, bytes] = {}  # a written font descriptor's number -> its subset's name
        self._tags: dict[bytes, bytes] = {}  # subset tag -> the digest of the font program it names
        self._write(_HEADER)

    @property
    def page_count(self) -> int:
        return len(self._page_ids)

    def _write(self, data: bytes) -> None:
        self.output.write(data)
        self._position += len(data)

    def _write_object(self, body: bytes) -> int:
        number = self._next_id
        self._next_id += 1
        if number >= len(self._offsets):
            self._offsets.extend([0] * (number + 1 - len(self._offsets)))
        self._offsets[number] = self._position
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        return number

    def append(self, pdf: bytes) -> int:
        """Copy every page of `pdf` (and what they use, unless already here) to the output; return how many."""
        source = _Input(pdf)
        mapping: dict[int, int] = {}
        # Shared objects first, each after what it refers to (a font after its program, a page after its fonts).
        state: dict[int, bool] = {}
        order: list[int] = []

        def visit(number: int) -> None:
            if state.get(number) is not None:
                if state[number] is False:
                    raise ValueError("objects refer to each other in a cycle")
                return
            state[number] = False
            for child in source.references(number):
                if source.is_resource(child):
                    visit(child)
            state[number] = True
            order.append(number)

        for page in source.pages:
            for child in source.references(page):
                if source.is_resource(child):
                    visit(child)

        def renumber(match: re.Match) -> bytes:
            return b"%d 0 R" % mapping[int(match.group(1))]

        for number in order:
            dictionary = _REFERENCE.sub(renumber, source.dictionaries[number])
            rest = source.rests[number]
            if number in source.contents:  # a pack's own page content: never the same twice, never looked up
                mapping[number] = self._write_object(dictionary + rest)
                continue
            dictionary = self._name_subset(dictionary, rest)
            digest = hashlib.sha256(dictionary + b"\0" + rest).digest()
            known = self._shared.get(digest)
            if known is None:
                known = self._shared[digest] = self._write_object(dictionary + rest)
                if b"/FontDescriptor" in dictionary and _required(_TYPE, dictionary) == b"FontDescriptor":
                    self._font_names[known] = _required(_FONT_NAME, dictionary)
            mapping[number] = known
        for tree in source.page_tree:  # a page's /Parent: this file's own page tree
            mapping[tree] = _PAGES_ID
        for page in source.pages:
            dictionary = _REFERENCE.sub(renumber, source.dictionaries[page])
            self._page_ids.append(self._write_object(dictionary + source.rests[page]))
        return len(source.pages)

    def _name_subset(self, dictionary: bytes, rest: bytes) -> bytes:
        """A font descriptor named after its font program's digest; a font after its (already written) descriptor."""
        match = _SUBSET_NAME.search(dictionary)
        if match is None:
            return dictionary
        if match.group(1) == b"FontName":
            tag = self._tag(_required(_FONT_FILE, dictionary) + b"|" + dictionary)
        else:
            descriptor = _DESCRIPTOR.search(dictionary)
            name = self._font_names.get(int(descriptor.group(1))) if descriptor else None
            if name is None:
                return dictionary
            tag = name.split(b"+", 1)[0]
        return (
            dictionary[: match.start()]
            + b"/%s /%s+%s" % (match.group(1), tag, match.group(2))
            + dictionary[match.end() :]
        )

    def _tag(self, identity: bytes) -> bytes:
        """Six capital letters from the digest of what identifies a subset here; never one in use for another."""
        digest = hashlib.sha256(identity).digest()
        salt = 0
        while True:
            number = (
                int.from_bytes(hashlib.sha256(digest + bytes([salt])).digest()[:8], "big")
                if salt
                else int.from_bytes(digest[:8], "big")
            )
            letters = []
            for _ in range(6):
                number, letter = divmod(number, 26)
                letters.append(65 + letter)
            tag = bytes(letters)
            if self._tags.setdefault(tag, digest) == digest:
                return tag
            salt += 1

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
        self._offsets[_CATALOG_ID] = self._position
        self._write(b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (_CATALOG_ID, _PAGES_ID))
        info_id = self._write_object(b"<< /Title %s /Producer (Survey line) >>" % _pdf_string(self.title))
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


def _pdf_string(text: str) -> bytes:
    """A PDF text string: PDFDocEncoding-safe ASCII as a literal, anything else as UTF-16 with a byte order mark."""
    if text.isascii():
        return b"(" + text.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"
