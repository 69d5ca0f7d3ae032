"""Find raw files and decode their bytes: UTF-8 (BOM or not), UTF-16 (BOM), GB18030/GBK, Big5.

A generic detector guesses badly on short Chinese files, so the order is fixed:
a BOM decides; else strict UTF-8; else whichever of GB18030 and Big5 decodes
strictly *and* reads as more common Chinese (character frequencies from
``data/char_freq.tsv``). Binary, empty and undecodable files are not errors:
:func:`read_raw_file` returns them with ``skipped`` set to the reason, so a
build lists them and goes on with the other files.

Examples
--------
>>> from bureau_rhetoric.ingest import decode_bytes
>>> docs = ["科技局工作总结", "科技局工作计划", "市科技局自查報告"]
>>> [decode_bytes(d.encode(enc)) for d, enc in zip(docs, ["utf-8", "gb18030", "big5"])]
[('科技局工作总结', 'utf-8'), ('科技局工作计划', 'gb18030'), ('市科技局自查報告', 'big5')]
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path

from .lexicons import keyed_cache, lexicon_path

__all__ = ["RawFile", "decode_bytes", "read_raw_file", "list_raw_files", "UndecodableError"]

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


class UndecodableError(ValueError):
    """The bytes are binary, empty, or in none of the supported encodings."""


@dataclass
class RawFile:
    """One raw file: its decoded text and how it was read, or why it was skipped."""

    path: Path
    sha256: str
    n_bytes: int
    encoding: str | None = None
    text: str | None = None
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)


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


def _commonness(text: str, sample: int = 20000) -> float:
    """Mean log-frequency of the Han characters (rare or unknown ones score -20)."""
    import opencc

    lf = _char_logfreq()
    han = [c for c in text[:sample] if "\u3400" <= c <= "\u9fff"]
    if not han:
        return -20.0
    conv = opencc.OpenCC("t2s").convert("".join(han))
    han = list(conv) if len(conv) == len(han) else han
    return sum(lf.get(c, -20.0) for c in han) / len(han)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode raw bytes and name the encoding used.

    Parameters
    ----------
    data : bytes
        A file's content.

    Returns
    -------
    tuple of (str, str)
        The text (without BOM) and one of ``"utf-8"``, ``"utf-8-sig"``,
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
    """
    if not data.strip():
        raise UndecodableError("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise UndecodableError(f"UTF-16 BOM but undecodable: {err}") from None
    for sig, what in BINARY_SIGNATURES.items():
        if data.startswith(sig):
            raise UndecodableError(f"binary file ({what})")
    if b"\x00" in data[:4096]:
        raise UndecodableError("binary file (NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings = []
    for enc in ("gb18030", "big5"):
        try:
            readings.append((_commonness(data.decode(enc)), enc))
        except UnicodeDecodeError:
            continue
    if not readings:
        raise UndecodableError("not valid UTF-8, UTF-16, GB18030 or Big5")
    best = max(readings)
    if best[0] < -14:
        raise UndecodableError(f"decodes as {best[1]} but does not read as Chinese")
    return data.decode(best[1]), best[1]


def read_raw_file(path: str | Path) -> RawFile:
    """Read and decode one raw file; never raise on bad content.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    RawFile
        ``text`` and ``encoding`` are set, or ``skipped`` says why not.

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
    data = path.read_bytes()
    raw = RawFile(path=path, sha256=hashlib.sha256(data).hexdigest(), n_bytes=len(data))
    try:
        raw.text, raw.encoding = decode_bytes(data)
    except UndecodableError as err:
        raw.skipped = str(err)
    return raw


def list_raw_files(raw_dir: str | Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """List the candidate corpus files of a folder and the files ignored.

    Checksum lists, ``README*`` and hidden files are not corpus files; they are
    returned with the reason so a report can list them.

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
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist")
    files, ignored = [], []
    for p in sorted(raw_dir.iterdir()):
        if p.name.startswith("."):
            ignored.append((p, "hidden file"))
        elif p.is_dir():
            ignored.append((p, "folder (not searched)"))
        elif p.name in IGNORED_NAMES:
            ignored.append((p, "checksum list"))
        elif p.name.upper().startswith("README"):
            ignored.append((p, "README (documentation, not a document)"))
        else:
            files.append(p)
    return files, ignored
