"""Where the bytes come from: files, folders, glob patterns, standard input, and archives inside any of them.

`iter_raw` yields a `RawInput` per readable input and a `Rejection` per refused one; it never raises for a
bad input, so one unreadable file never stops a batch. Folders are walked recursively in name order,
skipping hidden files and dot-folders (and never following symlinked folders, which could loop). A symlink
met in a walk is followed only when it resolves inside the folder given: one pointing out of it (to
`/etc/passwd`, to another user's files) is refused (`unsafe-path`). Names are stored as given, except that
bytes of a file name that are not UTF-8 are written `\\xNN` (`base.storable`), which SQLite can hold.

Archives are recognised by their first bytes, not by their names: zip, tar, and tar or single files
compressed with gzip, bzip2 or xz. Members are read in memory only, never extracted to disk, and:

- a member named with an absolute path or `..` is refused (`unsafe-path`), as are links and devices;
- a member over `max_bytes` is refused (`too-large`) from its declared size, and read with a hard cap
  in case the header lies;
- an archive whose declared or actual output passes `max_archive_bytes`, `max_archive_ratio` or
  `max_archive_members` is a bomb (`archive-bomb`): reading stops there;
- an archive inside an archive is opened, one level deep; deeper nesting is refused;
- an archive with no file to read (empty, only folders or hidden members) is refused (`empty`).

Member names read `outer.zip!dir/a.txt` (`outer.zip!inner.tar!b.txt` one level down).
"""
from __future__ import annotations

import bz2
import glob
import gzip
import io
import lzma
import os
import re
import stat
import sys
import tarfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator

from ..errors import (ArchiveBomb, BadArchive, EmptyInput, IngestError, NotFound, TooLarge, Unreadable,
                      UnsafeArchiveMember)
from .base import MB, IngestOptions, RawInput, Rejection, storable

STDIN = "<stdin>"
MAX_NESTING = 1          # archives inside archives, at most this deep
RATIO_FLOOR = 1 * MB     # below this much output a high compression ratio is harmless
GLOB_MAGIC = re.compile(r"[*?\[]")
COMPRESSED = {  # kind → opener of a decompressing stream over a file object
    "gzip": lambda f: gzip.GzipFile(fileobj=f, mode="rb"),
    "bzip2": lambda f: bz2.BZ2File(f, mode="rb"),
    "xz": lambda f: lzma.LZMAFile(f, mode="rb"),
}
COMPRESSED_SUFFIXES = (".gz", ".tgz", ".bz2", ".tbz2", ".xz", ".txz")


def iter_raw(paths: Iterable[str], options: IngestOptions = IngestOptions()) -> Iterator[RawInput | Rejection]:
    """Every input named by `paths` (files, folders, globs, `-` for stdin), archives opened."""
    for path in paths:
        if path == "-":
            yield from _guard(STDIN, lambda: _stdin(options))
        elif os.path.lexists(path):
            yield from _path(path, options)
        elif GLOB_MAGIC.search(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield _reject(path, NotFound(f"no file matches the pattern {path!r}"))
            for match in matches:
                yield from _path(match, options)
        else:
            yield _reject(path, NotFound(f"{path!r} does not exist; check the path"))


def iter_blob(name: str, data: bytes, options: IngestOptions = IngestOptions()) -> Iterator[RawInput | Rejection]:
    """One in-memory input (opened if it is an archive), under the same size limits as a file."""
    if len(data) > options.max_bytes:
        yield _reject(name, TooLarge(f"{len(data)} bytes is over the limit of {options.max_bytes}"))
        return
    yield from expand(name, data, options)


def archive_kind(data: bytes) -> str | None:
    """'zip', 'tar', 'gzip', 'bzip2', 'xz' from the magic bytes of `data`, or None for anything else."""
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return "zip"
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    if re.match(rb"BZh[1-9]1AY&SY", data[:10]):
        return "bzip2"
    if data[:6] == b"\xfd7zXZ\x00":
        return "xz"
    if data[257:262] == b"ustar":
        return "tar"
    return None


def unsafe_member(name: str) -> bool:
    """True for a member name that would escape the folder it is extracted to."""
    n = name.replace("\\", "/")
    return n.startswith("/") or bool(re.match(r"[A-Za-z]:", n)) or ".." in n.split("/")


def expand(name: str, data: bytes, options: IngestOptions, depth: int = 0,
           budget: _Budget | None = None) -> Iterator[RawInput | Rejection]:
    """`data` itself, or the members of the archive it is (recursively, up to MAX_NESTING)."""
    kind = archive_kind(data)
    if kind is None:
        yield RawInput(storable(name), data)
        return
    if depth > MAX_NESTING:
        yield _reject(name, ArchiveBomb(f"an archive nested over {MAX_NESTING} level deep is not opened"))
        return
    budget = budget or _Budget(options)
    opened = _zip(name, data, options, depth, budget) if kind == "zip" else \
        _stream(name, data, kind, options, depth, budget)
    yielded = False
    for item in _guard(name, lambda: opened):
        yielded = True
        yield item
    if not yielded:
        yield _reject(name, EmptyInput("the archive holds no file to read (it is empty, or holds only folders and "
                                       "hidden members)"))


class _Budget:
    """What one top-level input may still unpack: bytes and members, shared by nested archives."""

    def __init__(self, options: IngestOptions):
        self.bytes = options.max_archive_bytes
        self.members = options.max_archive_members

    def take(self, size: int, what: str) -> None:
        self.bytes -= size
        self.members -= 1
        if self.bytes < 0:
            raise ArchiveBomb(f"{what}: unpacks to more than the archive limit; raise max_archive_bytes if it is real")
        if self.members < 0:
            raise ArchiveBomb(f"{what}: more members than max_archive_members")


class _Capped(io.RawIOBase):
    """A decompressing stream that raises ArchiveBomb past the byte budget or the compression ratio."""

    def __init__(self, stream, packed: int, name: str, options: IngestOptions, budget: _Budget):
        self.stream, self.packed, self.name, self.options = stream, max(packed, 1), name, options
        self.limit = max(budget.bytes, 0) + 512 * 1024   # headers and padding on top of the member data
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.stream.readinto(buffer)
        self.total += n
        if self.total > self.limit:
            raise ArchiveBomb(f"{self.name}: decompresses past the archive limit of "
                              f"{self.options.max_archive_bytes} bytes")
        if self.total > RATIO_FLOOR and self.total / self.packed > self.options.max_archive_ratio:
            raise ArchiveBomb(f"{self.name}: compression ratio over {self.options.max_archive_ratio:g}; "
                              "a decompression bomb?")
        return n


def _zip(name: str, data: bytes, options: IngestOptions, depth: int, budget: _Budget):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        declared = sum(i.file_size for i in infos)
        if len(infos) > options.max_archive_members:
            raise ArchiveBomb(f"{len(infos)} members is over max_archive_members={options.max_archive_members}")
        if declared > options.max_archive_bytes:
            raise ArchiveBomb(f"declares {declared} bytes unpacked, over max_archive_bytes={options.max_archive_bytes}")
        if declared > RATIO_FLOOR and declared / max(len(data), 1) > options.max_archive_ratio:
            raise ArchiveBomb(f"compression ratio {declared / max(len(data), 1):.0f} is over "
                              f"{options.max_archive_ratio:g}; a decompression bomb?")
        for info in infos:
            member = f"{name}!{info.filename}"
            refusal = _refuse_member(info.filename, info.file_size, options)
            if refusal is None and (info.external_attr >> 16) & 0o170000 == stat.S_IFLNK:
                refusal = UnsafeArchiveMember("a symlink member is not followed")
            elif refusal is None and info.flag_bits & 0x1:
                refusal = BadArchive("the member is encrypted; decrypt the archive first")
            if refusal is False:
                continue
            if refusal is not None:
                yield _reject(member, refusal)
                continue
            with zf.open(info) as f:
                payload = f.read(options.max_bytes + 1)
            if len(payload) > options.max_bytes:
                yield _reject(member, TooLarge(f"unpacks past the limit of {options.max_bytes} bytes"))
                continue
            budget.take(len(payload), name)
            yield from expand(member, payload, options, depth + 1, budget)


def _stream(name: str, data: bytes, kind: str, options: IngestOptions, depth: int, budget: _Budget):
    raw = io.BytesIO(data) if kind == "tar" else COMPRESSED[kind](io.BytesIO(data))
    stream = io.BufferedReader(_Capped(raw, len(data), name, options, budget), buffer_size=64 * 1024)
    head = stream.peek(512)[:512]
    if kind != "tar" and head[257:262] != b"ustar":
        payload = stream.read(options.max_bytes + 1)
        inner = _inner_name(name)
        if len(payload) > options.max_bytes:
            yield _reject(inner, TooLarge(f"unpacks past the limit of {options.max_bytes} bytes"))
            return
        budget.take(len(payload), name)
        yield from expand(inner, payload, options, depth + 1, budget)
        return
    with tarfile.open(fileobj=stream, mode="r|") as tf:
        for info in tf:
            member = f"{name}!{info.name}"
            if info.isdir():
                continue
            refusal = _refuse_member(info.name, info.size, options)
            if refusal is None and (info.issym() or info.islnk()):
                refusal = UnsafeArchiveMember("a link member is not followed")
            elif refusal is None and not info.isfile():
                refusal = UnsafeArchiveMember("a device or pipe member is not read")
            if refusal is False:
                continue
            if refusal is not None:
                yield _reject(member, refusal)
                continue
            budget.take(info.size, name)
            f = tf.extractfile(info)
            payload = f.read(options.max_bytes + 1) if f else b""
            yield from expand(member, payload, options, depth + 1, budget)


def _refuse_member(member: str, size: int, options: IngestOptions) -> IngestError | bool | None:
    """An error for a member to refuse, False for one to skip silently (hidden), None to read it."""
    if unsafe_member(member):
        return UnsafeArchiveMember(f"member path {member!r} is absolute or climbs out with '..'; not read")
    parts = [p for p in member.replace("\\", "/").split("/") if p]
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return False
    if size > options.max_bytes:
        return TooLarge(f"declares {size} bytes, over the limit of {options.max_bytes}")
    return None


def _inner_name(name: str) -> str:
    base = os.path.basename(name.rsplit("!", 1)[-1])
    for suffix in COMPRESSED_SUFFIXES:
        if base.lower().endswith(suffix):
            base = base[: -len(suffix)] + (".tar" if suffix.startswith(".t") and suffix != ".tar" else "")
            break
    return f"{name}!{base or 'data'}"


def _path(path: str, options: IngestOptions) -> Iterator[RawInput | Rejection]:
    if os.path.isdir(path):
        yield from _walk(path, options, os.path.realpath(path))
    else:
        yield from _guard(path, lambda: _file(path, options))


def _inside(path: str, root: str) -> bool:
    """True when `path`, every link resolved, lies in the folder `root` (a resolved path)."""
    target = os.path.realpath(path)
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _walk(folder: str, options: IngestOptions, root: str) -> Iterator[RawInput | Rejection]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield _reject(folder, Unreadable(f"cannot list the folder: {e.strerror or e}; check its permissions"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            link = entry.is_symlink()
            linked_dir = not is_dir and link and entry.is_dir()
        except OSError:
            is_dir = link = linked_dir = False
        if link and os.path.lexists(os.path.realpath(entry.path)) and not _inside(entry.path, root):
            yield _reject(entry.path, UnsafeArchiveMember(
                f"a symlink to {os.path.realpath(entry.path)!r}, outside the folder {root!r}, is not followed; "
                "copy the file in or name it on the command line"))
        elif is_dir:
            yield from _walk(entry.path, options, root)
        elif not linked_dir:                  # a link to a folder inside: walked under its own name already
            yield from _guard(entry.path, lambda: _file(entry.path, options))


def _file(path: str, options: IngestOptions) -> Iterator[RawInput | Rejection]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise NotFound(f"{path!r} does not exist (a broken link?)") from None
    except OSError as e:
        raise Unreadable(f"cannot stat the file: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        raise Unreadable("not a regular file (a device, pipe or socket); give a file or a folder")
    if st.st_size > options.max_bytes:
        raise TooLarge(f"{st.st_size} bytes is over the limit of {options.max_bytes}; raise max_bytes to read it")
    try:
        with open(path, "rb") as f:
            data = f.read(options.max_bytes + 1)
    except OSError as e:
        raise Unreadable(f"cannot read the file: {e.strerror or e}; check its permissions") from None
    if len(data) > options.max_bytes:
        raise TooLarge(f"grew past the limit of {options.max_bytes} bytes while being read")
    yield from expand(path, data, options)


def _stdin(options: IngestOptions) -> Iterator[RawInput | Rejection]:
    data = sys.stdin.buffer.read(options.max_bytes + 1)
    yield from iter_blob(STDIN, data, options)


def _guard(name: str, produce) -> Iterator[RawInput | Rejection]:
    """Run a generator factory, turning an error it raises into a Rejection for `name` (earlier yields stand)."""
    try:
        yield from produce()
    except IngestError as e:
        yield _reject(name, e)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, OSError,
            NotImplementedError, RuntimeError) as e:
        yield _reject(name, BadArchive(f"the archive is damaged or unsupported: {e}"))


def _reject(name: str, err: IngestError) -> Rejection:
    return Rejection(name, err.reason, " ".join(str(err).split()))
