"""iter_raw()/read_inputs(): folders, globs, stdin and archives, and every refusal with its reason code."""
from __future__ import annotations

import builtins
import gzip
import io
import os
import sys
import tarfile
import zipfile

import pytest

from letopis.ingest import Document, IngestOptions, RawInput, Rejection, read_inputs, read_text
from letopis.ingest.sources import iter_raw

NOTE = "Митинг в Алматы\n\nВ среду в Алматы прошёл митинг против роста цен.\n".encode()
NOTE2 = " date 2022-01 Власти ввели комендантский час в Алматы.".encode()


def outcome(items) -> list[tuple[str, str]]:
    """(source relative to nothing, 'doc' or the rejection reason) for each item."""
    return [(i.source if not isinstance(i, RawInput) else i.name,
             i.reason if isinstance(i, Rejection) else "doc") for i in items]


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def tar_bytes(members: dict[str, bytes], mode: str = "w:gz", links: dict[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tf.addfile(info)
    return buf.getvalue()


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_bytes(NOTE2)
    (tmp_path / "a.txt").write_bytes(NOTE)
    (tmp_path / ".hidden.txt").write_bytes(NOTE)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_bytes(NOTE)
    (tmp_path / "empty.txt").write_bytes(b"")
    return tmp_path


def test_sources_folder_is_walked_sorted_without_hidden(tree):
    got = outcome(read_inputs([str(tree)]))
    assert got == [(str(tree / "a.txt"), "doc"), (str(tree / "b" / "2.txt"), "doc"), (str(tree / "empty.txt"), "empty")]


def test_sources_glob_and_missing(tree):
    got = outcome(read_inputs([str(tree / "*.txt"), str(tree / "nope.txt"), str(tree / "*.md")]))
    assert got == [(str(tree / "a.txt"), "doc"), (str(tree / "empty.txt"), "empty"),
                   (str(tree / "nope.txt"), "not-found"), (str(tree / "*.md"), "not-found")]


def test_sources_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(NOTE)))
    (doc,) = read_inputs(["-"])
    assert (doc.source, doc.title) == ("<stdin>", "Митинг в Алматы")


def test_sources_too_large_is_not_read(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_bytes(NOTE * 100)
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        assert os.fspath(file) != str(big), "a file over the limit must not be opened"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    (rej,) = read_inputs([str(big)], IngestOptions(max_bytes=1000))
    assert rej.reason == "too-large"
    assert read_text("blob.txt", NOTE * 100, IngestOptions(max_bytes=1000))[0].reason == "too-large"


def test_sources_unreadable_file_does_not_stop_the_walk(tree, monkeypatch):
    secret = tree / "secret.txt"
    secret.write_bytes(NOTE)
    if os.geteuid() != 0:
        secret.chmod(0)
    else:  # root reads through chmod 000: simulate the refusal the way the OS would give it
        real_open = builtins.open

        def deny(file, *args, **kwargs):
            if os.fspath(file) == str(secret):
                raise PermissionError(13, "Permission denied", str(secret))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", deny)
    try:
        got = outcome(read_inputs([str(tree)]))
    finally:
        secret.chmod(0o644)
    assert (str(secret), "unreadable") in got
    assert (str(tree / "b" / "2.txt"), "doc") in got and len(got) == 4


def test_sources_unreadable_folder(tree, monkeypatch):
    locked = tree / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def deny(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    got = outcome(read_inputs([str(tree)]))
    assert (str(locked), "unreadable") in got
    assert (str(tree / "a.txt"), "doc") in got


def test_sources_zip_and_tar_members(tmp_path):
    for name, data in [("news.zip", zip_bytes({"a.txt": NOTE, "dir/b.txt": NOTE2, "__MACOSX/._a.txt": b"x"})),
                       ("news.tar.gz", tar_bytes({"a.txt": NOTE, "dir/b.txt": NOTE2})),
                       ("news.tar", tar_bytes({"a.txt": NOTE, "dir/b.txt": NOTE2}, mode="w")),
                       ("news.bin", tar_bytes({"a.txt": NOTE, "dir/b.txt": NOTE2}, mode="w:xz"))]:
        (tmp_path / name).write_bytes(data)
        got = outcome(read_inputs([str(tmp_path / name)]))
        assert got == [(f"{tmp_path / name}!a.txt", "doc"), (f"{tmp_path / name}!dir/b.txt", "doc")], name


def test_sources_gzipped_single_file():
    (doc,) = read_text("note.txt.gz", gzip.compress(NOTE))
    assert (doc.source, doc.title) == ("note.txt.gz!note.txt", "Митинг в Алматы")


@pytest.mark.parametrize("member", ["/etc/passwd", "../escape.txt", "dir/../../escape.txt", "C:/win.txt"])
@pytest.mark.parametrize("kind", ["zip", "tar"])
def test_sources_unsafe_member_is_refused(member, kind, tmp_path):
    members = {member: NOTE, "ok.txt": NOTE}
    data = zip_bytes(members) if kind == "zip" else tar_bytes(members)
    got = outcome(read_text(f"evil.{kind}", data))
    assert got == [(f"evil.{kind}!{member}", "unsafe-path"), (f"evil.{kind}!ok.txt", "doc")]
    assert not (tmp_path / "escape.txt").exists()


def test_sources_tar_symlink_is_refused():
    data = tar_bytes({"ok.txt": NOTE}, links={"link.txt": "/etc/passwd"})
    assert outcome(read_text("l.tgz", data)) == [("l.tgz!ok.txt", "doc"), ("l.tgz!link.txt", "unsafe-path")]


def test_sources_zip_bomb():
    bomb = zip_bytes({"zeros.txt": bytes(50 * 1024 * 1024)})
    assert len(bomb) < 100_000
    options = IngestOptions(max_bytes=1024 * 1024, max_archive_bytes=10 * 1024 * 1024)
    (rej,) = read_text("bomb.zip", bomb, options)
    assert (rej.source, rej.reason) == ("bomb.zip", "archive-bomb")
    (rej,) = read_text("bomb.zip", bomb)  # default limits: the ratio gives it away
    assert rej.reason == "archive-bomb"


def test_sources_tar_gz_bomb_is_stopped_while_reading():
    bomb = tar_bytes({"zeros.txt": bytes(50 * 1024 * 1024)})
    options = IngestOptions(max_bytes=1024 * 1024, max_archive_bytes=10 * 1024 * 1024)
    got = outcome(read_text("bomb.tgz", bomb, options))
    assert got[-1] == ("bomb.tgz", "archive-bomb")


def test_sources_zip_lying_header_is_capped():
    real = 50 * 1024 * 1024
    data = zip_bytes({"zeros.txt": bytes(real)})
    declared = real.to_bytes(4, "little")
    assert data.count(declared) == 2  # local header and central directory
    liar = data.replace(declared, (100).to_bytes(4, "little"))
    # the declared sizes pass every check; reading stops at the declared size and the CRC gives it away
    assert outcome(read_text("liar.zip", liar, IngestOptions(max_bytes=1024 * 1024))) == [("liar.zip", "bad-archive")]


def test_sources_nested_archives_one_level():
    inner = zip_bytes({"b.txt": NOTE2})
    innermost = zip_bytes({"deep.zip": zip_bytes({"c.txt": NOTE})})
    outer = zip_bytes({"a.txt": NOTE, "inner.zip": inner, "deeper.zip": innermost})
    assert outcome(read_text("outer.zip", outer)) == [
        ("outer.zip!a.txt", "doc"),
        ("outer.zip!inner.zip!b.txt", "doc"),
        ("outer.zip!deeper.zip!deep.zip", "archive-bomb"),
    ]


def test_sources_damaged_archive():
    data = zip_bytes({"a.txt": NOTE})[:40]
    (rej,) = read_text("broken.zip", data)
    assert rej.reason == "bad-archive"


def test_sources_iter_raw_yields_bytes(tree):
    items = list(iter_raw([str(tree / "a.txt")]))
    assert items == [RawInput(str(tree / "a.txt"), NOTE)]


def test_sources_archive_members_become_documents_with_ids():
    docs = [i for i in read_text("n.zip", zip_bytes({"a.txt": NOTE, "copy.txt": NOTE})) if isinstance(i, Document)]
    assert docs[0].id == docs[1].id


def test_sources_zip_symlink_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
        zf.writestr("ok.txt", NOTE)
    assert outcome(read_text("l.zip", buf.getvalue())) == [("l.zip!link.txt", "unsafe-path"), ("l.zip!ok.txt", "doc")]


def test_sources_gzip_bomb_single_file():
    bomb = gzip.compress(bytes(50 * 1024 * 1024))
    (rej,) = read_text("zeros.txt.gz", bomb)
    assert (rej.source, rej.reason) == ("zeros.txt.gz", "archive-bomb")
