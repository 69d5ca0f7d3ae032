"""Find raw files, extract their text and decode their bytes; never stop a build on one bad file.

Folders are read recursively (hidden files, checksum lists, READMEs and a build's
own outputs are ignored; FIFOs, devices, dangling or looping links, unreadable
files and names that are not UTF-8 are skipped with their reason, never opened).
Formats by extension: ``.html``/``.htm`` (main text via selectolax; title from
``<h1>``/``<title>``; scripts, styles, navigation and entities gone), ``.docx``
(python-docx), ``.pdf`` (pypdf text layer; a scan without one is skipped with
"no text layer (needs OCR)"), anything else as text.

Text bytes: a BOM decides (UTF-8, UTF-16, UTF-32); a NUL pattern of every second
byte means BOM-less UTF-16; else strict UTF-8; else whichever of GB18030, Big5
and Big5-HKSCS decodes strictly *and* reads as more common Chinese (character
frequencies from ``data/char_freq.tsv``). A file that none decodes whole is
decoded line by line, each line in the reading that is most Chinese, with any
bytes no reading accepts replaced by U+FFFD and listed (character offset, byte
offset, the bytes) in :attr:`RawFile.decode_notes`, so the build records them
in the audit; a file with more than :data:`MAX_BAD_BYTES_SHARE` such bytes
(and more than :data:`MAX_BAD_BYTES_ABS`) is not text. NUL bytes stay in the decoded text (offsets stay true) and the build
removes them, recorded.

Examples
--------
>>> from bureau_rhetoric.ingest import decode_bytes
>>> docs = ["科技局工作总结", "科技局工作计划", "市科技局自查報告"]
>>> [decode_bytes(d.encode(enc)) for d, enc in zip(docs, ["utf-8", "gb18030", "big5"])]
[('科技局工作总结', 'utf-8'), ('科技局工作计划', 'gb18030'), ('市科技局自查報告', 'big5')]
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import math
import os
import re
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .lexicons import keyed_cache, lexicon_path

__all__ = ["RawFile", "Decoded", "decode_bytes", "decode_file", "read_raw_file", "list_raw_files",
           "scan_raw_folder", "RawListing", "UndecodableError", "FORMATS", "BUILD_OUTPUTS"]

#: Signatures of binary formats that are sometimes saved with a .txt name.
BINARY_SIGNATURES = {
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (docx/xlsx?)",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\xd0\xcf\x11\xe0": "OLE2 file (old .doc/.xls?)",
    b"{\\rtf": "RTF document",
}

#: Files in a raw folder that are not corpus documents (recorded as ignored).
IGNORED_NAMES = ("SHA256SUMS", "SHA256SUMS.txt", "MD5SUMS")

#: What a build writes into its output folder: never read as documents (``--out`` may equal ``--raw``).
BUILD_OUTPUTS = ("corpus.parquet", "audit.parquet", "build_report.html", "build_summary.json")

#: Prefix of a build's private work folder inside the output folder (hidden, so never read).
BUILD_TEMP_PREFIX = ".bureau-rhetoric-build-"

#: Formats read by extension; everything else is decoded as text.
FORMATS = {".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html", ".docx": "docx", ".pdf": "pdf"}

#: Largest share of a file's bytes that may be undecodable (replaced by U+FFFD) before the
#: file counts as not text: a handful of damaged bytes, not a binary or foreign-encoded file.
MAX_BAD_BYTES_SHARE = 0.02
#: ... though a short file may always have this many.
MAX_BAD_BYTES_ABS = 8

#: A decoding whose Han characters average below this log-frequency does not read as Chinese
#: (common report text scores about -7; a wrong legacy decoding of Chinese bytes about -15 and below).
MIN_COMMONNESS = -14.0


class UndecodableError(ValueError):
    """The bytes are binary, empty, or in none of the supported encodings."""


@dataclass
class RawFile:
    """One raw file: its decoded text and how it was read, or why it was skipped.

    ``rel_path`` is the file's path under the raw folder (POSIX separators);
    ``decode_notes`` lists ``(char_offset, byte_offset, bytes)`` of each run of
    bytes replaced by U+FFFD; ``removed`` lists ``(what, text)`` of content an
    extractor dropped (HTML scripts, navigation ...), for the audit.
    """

    path: Path
    sha256: str
    n_bytes: int
    encoding: str | None = None
    text: str | None = None
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)
    format: str = "txt"
    extractor: str | None = None
    rel_path: str | None = None
    decode_notes: list[tuple[int, int, bytes]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Decoded:
    """Text decoded from bytes, the encoding(s) used and the bytes replaced by U+FFFD."""

    text: str
    encoding: str
    bad: list[tuple[int, int, bytes]] = field(default_factory=list)


@keyed_cache("char_freq.tsv")
def _char_logfreq() -> dict[str, float]:
    counts: dict[str, int] = {}
    with open(lexicon_path("char_freq.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("char\t"):
                continue
            ch, n = line.rstrip("\n").split("\t")
            counts[ch] = int(n)
    total = sum(counts.values())
    return {ch: math.log(n / total) for ch, n in counts.items()}


_T2S = threading.local()


def _t2s(text: str) -> str:
    conv = getattr(_T2S, "conv", None)
    if conv is None:
        import opencc

        conv = _T2S.conv = opencc.OpenCC("t2s")
    return conv.convert(text)


def _commonness(text: str, sample: int = 20000, *, bad: int = 0) -> float:
    """Mean log-frequency of the Han characters (rare or unknown ones, and ``bad`` U+FFFD, score -20)."""
    lf = _char_logfreq()
    han = [c for c in text[:sample] if "\u3400" <= c <= "\u9fff"]
    if not han:
        return -20.0
    conv = _t2s("".join(han))
    han = list(conv) if len(conv) == len(han) else han
    return (sum(lf.get(c, -20.0) for c in han) - 20.0 * bad) / (len(han) + bad)


# ----------------------------------------------------------------------------- decoding

_RECORDED = threading.local()


def _record_error(err: UnicodeDecodeError):
    _RECORDED.spans.append((err.start, err.end))
    return "\ufffd", err.end


codecs.register_error("bureau_rhetoric.record", _record_error)


def _decode_recording(data: bytes, enc: str) -> tuple[str, list[tuple[int, int, bytes]]]:
    """Decode with U+FFFD for bad bytes; return the text and ``(char_offset, byte_offset, bytes)`` per run."""
    _RECORDED.spans = []
    text = data.decode(enc, errors="bureau_rhetoric.record")
    spans, _RECORDED.spans = _RECORDED.spans, []
    if not spans:
        return text, []
    bad, pos_char, prev = [], 0, 0
    for a, b in spans:  # segments between errors decode cleanly: their lengths give char offsets
        pos_char += len(data[prev:a].decode(enc, errors="replace"))
        bad.append((pos_char, a, data[a:b]))
        pos_char += 1
        prev = b
    return text, bad


_LEGACY = ("gb18030", "big5", "big5hkscs")


_TEXT_CHAR = re.compile(r"[\t\n\r\x0c\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u3400-\u9fff"
                        r"\uff00-\uffef\u2460-\u24ff\u25a0-\u25ff]")


def _plausible(text: str, share: float = 0.95) -> bool:
    """Whether almost every character is one Chinese report text uses (Han, ASCII, CJK and full-width punctuation)."""
    sample = text[:20000]
    return bool(sample) and len(_TEXT_CHAR.findall(sample)) >= share * len(sample)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """Read NUL-bearing bytes as BOM-less UTF-16 (LE or BE) when one reading is clean Chinese text.

    ASCII (line breaks, digits) puts NUL bytes at odd offsets in UTF-16-LE and even ones in
    BE; so do Han characters U+xx00 (一 is U+4E00) the other way round, so parity alone
    cannot decide: both byte orders are decoded and the one that reads as Chinese wins.
    """
    if len(data) % 2 or len(data) < 16:  # a few bytes read as anything: too short to tell
        return None
    best = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if not _plausible(text):
            continue  # control characters, Hangul, private use ...: not this byte order (or not text)
        score = _commonness(text)
        if score >= MIN_COMMONNESS and (best is None or score > best[0]):
            best = (score, Decoded(text, enc))
    return best[1] if best else None


def _best_legacy(data: bytes) -> tuple[float, str] | None:
    """The strict legacy decoding (GB18030, Big5, Big5-HKSCS) that reads most like Chinese."""
    readings = []
    for k, enc in enumerate(_LEGACY):
        try:
            readings.append((_commonness(data.decode(enc)), -k, enc))
        except UnicodeDecodeError:
            continue
    if not readings:
        return None
    score, _, enc = max(readings)
    return score, enc


def _decode_lines(data: bytes) -> Decoded:
    """Decode line by line, each line in its most Chinese reading; bad bytes become U+FFFD.

    ``\\n`` is never part of a multi-byte character in UTF-8, GB18030 or Big5, so lines
    can be decoded on their own: a file whose halves were saved in two encodings, or
    with a few damaged bytes, keeps all its text.
    """
    parts: list[str] = []
    bad: list[tuple[int, int, bytes]] = []
    used: list[str] = []
    pos_char = pos_byte = 0
    prev_enc = None
    for line in data.split(b"\n"):
        if line.isascii():
            text, enc, spans = line.decode("ascii"), None, []
        else:
            choice = None
            if prev_enc is not None:  # a run in one encoding: keep it while it decodes and reads well
                try:
                    t = line.decode(prev_enc)
                    if _commonness(t) >= MIN_COMMONNESS:
                        choice = (t, prev_enc, [])
                except UnicodeDecodeError:
                    pass
            if choice is None:
                best = None
                for k, enc in enumerate(("utf-8", *_LEGACY)):
                    t, spans = _decode_recording(line, enc)
                    key = (_commonness(t, bad=len(spans)), -len(spans), -k)
                    if best is None or key > best[0]:
                        best = (key, t, enc, spans)
                choice = best[1:]
            text, enc, spans = choice
            prev_enc = enc
            if enc not in used:
                used.append(enc)
        for c, b, raw in spans:
            bad.append((pos_char + c, pos_byte + b, raw))
        parts.append(text)
        pos_char += len(text) + 1
        pos_byte += len(line) + 1
    return Decoded("\n".join(parts), "+".join(used) or "ascii", bad)


def decode_file(data: bytes) -> Decoded:
    """Decode a text file's bytes, with a fallback that keeps the text around a few bad bytes.

    Parameters
    ----------
    data : bytes

    Returns
    -------
    Decoded
        ``text``, ``encoding`` (``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``,
        ``"utf-16-le"``, ``"utf-16-be"``, ``"utf-32"``, ``"gb18030"``, ``"big5"``,
        ``"big5hkscs"``, or several joined by ``+`` for a file decoded line by line)
        and ``bad``: ``(char_offset, byte_offset, bytes)`` of every run replaced by U+FFFD.

    Raises
    ------
    UndecodableError
        Empty, binary, more than :data:`MAX_BAD_BYTES_SHARE` undecodable bytes, or not
        reading as Chinese in any encoding (the message says which).

    Examples
    --------
    >>> from bureau_rhetoric.ingest import decode_file
    >>> d = decode_file("科技局工作总结".encode("gbk") + b"\\xff" + "科技创新".encode("gbk"))
    >>> d.text, d.encoding, d.bad
    ('科技局工作总结\ufffd科技创新', 'gb18030', [(7, 14, b'\\xff')])
    >>> decode_file("我哋嘅科技局".encode("big5hkscs")).encoding
    'big5hkscs'
    """
    if not data.strip(b" \t\r\n\x00"):
        raise UndecodableError("empty file")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _checked(data, "utf-32", *_decode_recording(data, "utf-32"))
    if data.startswith(b"\xef\xbb\xbf"):
        body = data[3:]
        try:
            return Decoded(body.decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError:
            return _checked(body, "utf-8-sig", *_decode_recording(body, "utf-8"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _checked(data, "utf-16", *_decode_recording(data, "utf-16"))
    for sig, what in BINARY_SIGNATURES.items():
        if data.startswith(sig):
            raise UndecodableError(f"binary file ({what})")
    n_nul = data.count(0)
    if n_nul:
        dec = _utf16_without_bom(data)
        if dec is not None:
            return dec
        if n_nul > 0.1 * len(data):
            raise UndecodableError("binary file (NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    best = _best_legacy(data)
    if best is not None and best[0] >= MIN_COMMONNESS:
        return Decoded(data.decode(best[1]), best[1])
    if len(data) % 2 == 0 and not n_nul:  # BOM-less UTF-16 of Chinese without any ASCII
        dec = _utf16_without_bom(data)
        if dec is not None:
            return dec
    dec = _decode_lines(data)
    return _checked(data, dec.encoding, dec.text, dec.bad)


def _checked(data: bytes, enc: str, text: str, bad: list) -> Decoded:
    n_bad = sum(len(b) for _, _, b in bad)
    if n_bad > max(MAX_BAD_BYTES_ABS, MAX_BAD_BYTES_SHARE * len(data)):
        raise UndecodableError(f"not valid UTF-8, UTF-16, UTF-32, GB18030 or Big5 "
                               f"({n_bad} of {len(data)} bytes undecodable)")
    if _commonness(text, bad=len(bad)) < MIN_COMMONNESS and any("\u3400" <= c <= "\u9fff" for c in text[:20000]):
        raise UndecodableError(f"decodes as {enc} but does not read as Chinese")
    if not any(ch.isalnum() for ch in text[:20000]):
        raise UndecodableError(f"decodes as {enc} but holds no letters or characters")
    return Decoded(text, enc, bad)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode raw bytes and name the encoding used (see :func:`decode_file`).

    Parameters
    ----------
    data : bytes
        A file's content.

    Returns
    -------
    tuple of (str, str)
        The text (without BOM) and the encoding, e.g. ``"utf-8"``, ``"utf-8-sig"``,
        ``"utf-16"``, ``"gb18030"``, ``"big5"``.

    Raises
    ------
    UndecodableError
        If the bytes are empty, look binary, or decode in no supported encoding.

    Examples
    --------
    >>> from bureau_rhetoric.ingest import decode_bytes
    >>> decode_bytes("\\ufeff科技局".encode("utf-8"))
    ('科技局', 'utf-8-sig')
    >>> decode_bytes("科技局年终总结".encode("utf-16"))
    ('科技局年终总结', 'utf-16')
    >>> decode_bytes("科技局年终总结".encode("utf-32"))
    ('科技局年终总结', 'utf-32')
    """
    dec = decode_file(data)
    return dec.text, dec.encoding


# ----------------------------------------------------------------------------- other formats

_HTML_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
              "template", "svg", "button", "select", "textarea", "object", "embed", "canvas")
_HTML_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table",
               "section", "article", "main", "pre", "blockquote", "dd", "dt", "dl", "hr", "td", "th",
               "center", "address", "figure", "figcaption", "body", "html"}
_HTML_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_-]{2,20})""", re.I)
_TITLE_SEP = re.compile(r"\s*(?:_|\||–|—|-{1,2}|::)\s*")


def _html_text(data: bytes) -> tuple[str, str, list[tuple[str, str]], str]:
    """Main text of an HTML page (title line first), its encoding, what was dropped, extractor."""
    import selectolax
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    m = _HTML_CHARSET.search(data[:4096])
    dec = None
    if m:
        enc = m.group(1).decode("ascii").lower()
        enc = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}.get(enc, enc)
        try:
            dec = Decoded(data.decode(enc), enc)
        except (LookupError, UnicodeDecodeError):
            dec = None
    if dec is None:
        dec = decode_file(data)
    tree = HTMLParser(dec.text)
    title_node = tree.css_first("title")
    page_title = title_node.text(strip=True) if title_node is not None else ""
    removed = []
    for tag in _HTML_DROP:
        for node in tree.css(tag):
            txt = node.text(separator=" ", strip=True) if tag not in ("script", "style") else node.text()
            if txt.strip():
                removed.append((f"html_{tag}", txt))
        tree.strip_tags([tag])
    root = (tree.css_first("article") or tree.css_first("main") or tree.css_first("[role=main]")
            or tree.body or tree.root)
    h1 = root.css_first("h1") if root is not None else None
    lines: list[str] = []
    cur: list[str] = []
    if root is not None:
        stack = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                lines.append("".join(cur)); cur = []  # noqa: E702
                continue
            if node.tag == "-text":
                cur.append(re.sub(r"[ \t\r\n]+", " ", node.text(deep=False)))
                continue
            if node.tag in ("title", "head", "-comment"):
                continue
            block = node.tag in _HTML_BLOCK
            if block:
                lines.append("".join(cur)); cur = []  # noqa: E702
                stack.append((node, True))
            children = list(node.iter(include_text=True))
            stack.extend((c, False) for c in reversed(children))
    lines.append("".join(cur))
    body = [ln.strip() for ln in lines if ln.strip()]
    title = h1.text(strip=True) if h1 is not None and h1.text(strip=True) else ""
    if not title and page_title:
        pieces = [p for p in _TITLE_SEP.split(page_title) if p]
        title = max(pieces, key=len) if pieces else page_title
    if title and (not body or body[0] != title):
        body.insert(0, title)
    return "\n".join(body), dec.encoding, removed, f"selectolax {selectolax.__version__}"


def _docx_text(data: bytes) -> tuple[str, str]:
    import io

    import docx

    doc = docx.Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("\t".join(c.text for c in row.cells))
    from importlib.metadata import version

    return "\n".join(ln for ln in lines if ln.strip()), f"python-docx {version('python-docx')}"


def _pdf_text(data: bytes) -> tuple[str, str]:
    import io
    import logging

    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise UndecodableError("encrypted PDF (no text without the password)")
    pages = [(page.extract_text() or "") for page in reader.pages]
    text = "\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise UndecodableError("no text layer (needs OCR)")
    return text, f"pypdf {pypdf.__version__}"


def read_raw_file(path: str | Path, rel_path: str | None = None) -> RawFile:
    """Read one raw file and extract or decode its text; never raise on bad content or access.

    Parameters
    ----------
    path : str or Path
    rel_path : str, optional
        The file's path under the raw folder (default: its name).

    Returns
    -------
    RawFile
        ``text``, ``encoding``, ``format`` and ``extractor`` are set, or
        ``skipped`` says why not (one line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bureau_rhetoric.ingest import read_raw_file
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_bytes("科技局工作总结".encode("gb18030"))
    >>> _ = (d / "b.txt").write_bytes(b"%PDF-1.4 ...")
    >>> [(f.encoding, f.skipped) for f in map(read_raw_file, sorted(d.iterdir()))]
    [('gb18030', None), (None, 'binary file (PDF document)')]
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower(), "txt")
    rel = rel_path or path.name
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return RawFile(path=path, sha256="", n_bytes=0, skipped=f"not a regular file ({_kind(st.st_mode)})",
                           rel_path=rel, format=fmt)
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        return RawFile(path=path, sha256="", n_bytes=0, skipped=f"cannot read: {err.strerror or err}",
                       rel_path=rel, format=fmt)
    raw = RawFile(path=path, sha256=hashlib.sha256(data).hexdigest(), n_bytes=len(data), format=fmt,
                  rel_path=rel)
    try:
        if fmt == "html":
            raw.text, raw.encoding, raw.removed, raw.extractor = _html_text(data)
            if not raw.text.strip():
                raise UndecodableError("HTML page without text")
        elif fmt in ("docx", "pdf"):
            try:
                raw.text, raw.extractor = _docx_text(data) if fmt == "docx" else _pdf_text(data)
            except UndecodableError:
                raise
            except Exception as err:  # a broken file of that format: one line, the build goes on
                msg = str(err).splitlines()[0][:120] if str(err) else ""
                raise UndecodableError(f"unreadable {fmt.upper()} file ({type(err).__name__}: {msg})") from None
            if not raw.text.strip():
                raise UndecodableError(f"{fmt.upper()} file without text")
        else:
            dec = decode_file(data)
            raw.text, raw.encoding, raw.decode_notes, raw.extractor = dec.text, dec.encoding, dec.bad, "decode"
    except UndecodableError as err:
        raw.text = raw.encoding = None
        raw.skipped = str(err)
    return raw


# ----------------------------------------------------------------------------- folders


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _shown(rel: str) -> str:
    """A path as text that can be stored: undecodable name bytes as ``\\xNN``."""
    return os.fsencode(rel).decode("utf-8", errors="backslashreplace")


@dataclass
class RawListing:
    """What :func:`scan_raw_folder` found: files to read, files ignored, files skipped (with reasons)."""

    root: Path
    files: list[Path]
    rel_paths: dict[Path, str]
    ignored: list[tuple[str, str]]
    skipped: list[tuple[str, str]]


def scan_raw_folder(raw_dir: str | Path, *, exclude=()) -> RawListing:
    """Find the corpus files under a folder, recursively, without opening any of them.

    Parameters
    ----------
    raw_dir : str or Path
    exclude : iterable of path
        Folders not to enter (a build's output folder inside the raw folder).

    Returns
    -------
    RawListing
        ``files`` sorted by relative path; ``ignored`` (hidden files, checksum lists,
        READMEs, a build's outputs) and ``skipped`` (names that are not UTF-8, dangling
        links, link loops, FIFOs and devices, folders that cannot be listed) as
        ``(relative path, reason)``.

    Raises
    ------
    ValueError
        If ``raw_dir`` is empty (``""`` would silently mean the current folder).
    FileNotFoundError
        If ``raw_dir`` is not a folder.

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> from bureau_rhetoric.ingest import scan_raw_folder
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "2019").mkdir()
    >>> for name in ["2019/b.txt", "a.txt", ".DS_Store", "README.md"]:
    ...     _ = (d / name).write_text("科技局", encoding="utf-8")
    >>> os.mkfifo(d / "pipe.txt")
    >>> (d / "gone.txt").symlink_to(d / "missing.txt")
    >>> found = scan_raw_folder(d)
    >>> [found.rel_paths[p] for p in found.files], found.skipped
    (['2019/b.txt', 'a.txt'], [('gone.txt', 'dangling symbolic link (its target does not exist)'), ('pipe.txt', 'not a regular file (FIFO)')])
    """
    if raw_dir is None or str(raw_dir) == "":
        raise ValueError("raw folder is an empty path; name the folder of raw files")
    root = Path(raw_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist or is not a folder")
    excluded = set()
    for p in exclude:
        try:
            st = os.stat(p)
            excluded.add((st.st_dev, st.st_ino))
        except OSError:
            pass
    st_root = os.stat(root)
    seen = {(st_root.st_dev, st_root.st_ino)}
    files, rels, ignored, skipped = [], {}, [], []
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            skipped.append((_shown(prefix.rstrip("/")) or ".", f"cannot list folder: {err.strerror or err}"))
            continue
        subdirs = []
        for e in entries:
            rel = prefix + e.name
            try:
                e.name.encode("utf-8")
            except UnicodeEncodeError:
                skipped.append((_shown(rel), "file name is not valid UTF-8 (rename it, e.g. unzip with "
                                             "the archive's encoding: unzip -O GBK)"))
                continue
            if e.name.startswith("."):
                ignored.append((rel, "hidden file"))
                continue
            try:
                st = os.stat(e.path)  # follows links; never opens the file
            except FileNotFoundError:
                skipped.append((rel, "dangling symbolic link (its target does not exist)"))
                continue
            except OSError as err:
                why = ("symbolic link loop" if err.errno == errno.ELOOP
                       else f"cannot read: {err.strerror or err}")
                skipped.append((rel, why))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in excluded:
                    ignored.append((rel, "output folder of this build"))
                elif key in seen:
                    ignored.append((rel, "folder already read (a link back into the tree: loop)"))
                else:
                    seen.add(key)
                    subdirs.append((Path(e.path), rel + "/"))
            elif not stat.S_ISREG(st.st_mode):
                skipped.append((rel, f"not a regular file ({_kind(st.st_mode)})"))
            elif e.name in IGNORED_NAMES:
                ignored.append((rel, "checksum list"))
            elif e.name.upper().startswith("README"):
                ignored.append((rel, "README (documentation, not a document)"))
            elif e.name in BUILD_OUTPUTS:
                ignored.append((rel, "output of a corpus build"))
            elif e.name.endswith(".parquet"):
                ignored.append((rel, "Parquet table (data, not a document)"))
            else:
                p = Path(e.path)
                files.append(p)
                rels[p] = rel
        stack.extend(reversed(subdirs))
    files.sort(key=lambda p: rels[p])
    return RawListing(root, files, rels, sorted(ignored), sorted(skipped))


def list_raw_files(raw_dir: str | Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """List the candidate corpus files of a folder (recursively) and the files not read.

    Checksum lists, ``README*``, hidden files and a build's outputs are not corpus
    files; special files, bad names and broken links cannot be read. Both are
    returned with the reason so a report can list them (see :func:`scan_raw_folder`).

    Parameters
    ----------
    raw_dir : str or Path

    Returns
    -------
    tuple
        ``(files, ignored)``: sorted paths to read, and ``(path, reason)`` pairs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bureau_rhetoric.ingest import list_raw_files
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ["001_a.txt", "000_b.txt", "README.md", "SHA256SUMS", ".DS_Store"]:
    ...     _ = (d / name).write_text("科技局", encoding="utf-8")
    >>> files, ignored = list_raw_files(d)
    >>> [p.name for p in files], sorted(p.name for p, _ in ignored)
    (['000_b.txt', '001_a.txt'], ['.DS_Store', 'README.md', 'SHA256SUMS'])
    """
    found = scan_raw_folder(raw_dir)
    root = found.root
    return found.files, [(root / r, why) for r, why in found.ignored + found.skipped]
