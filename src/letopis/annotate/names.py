"""Morphology of proper names: case forms of one name, nominative forms of name groups, acronyms.

The pymorphy2 adapter lives here (pymorphy objects never leave this module). Context-free pymorphy parses
mislead on names ("Токаева" comes out as a woman's surname in the nominative), so the questions asked of it are
narrow: is this word a *known* first name or surname, and which nominative form agrees with the case, gender and
number that the contextual tagger (slovnet, via `nlp.Token.feats`) gave the word.
"""
from __future__ import annotations

import functools
import pathlib
import re
from typing import Sequence

import yaml

from .nlp import Token

LEXICONS = pathlib.Path(__file__).with_name("lexicons")
_VOWELS_TAIL = "аеёиоуыэюяйь"


@functools.cache
def rules() -> dict:
    return yaml.safe_load((LEXICONS / "names.yaml").read_text(encoding="utf-8"))


@functools.cache
def _endings() -> frozenset[str]:
    return frozenset(rules()["endings"]) | {""}


@functools.cache
def _all_endings() -> frozenset[str]:
    return _endings() | frozenset(rules()["plural_endings"])


@functools.cache
def _nominative_endings() -> tuple[str, ...]:
    return tuple(sorted(rules()["nominative_endings"], key=len, reverse=True)) + ("",)


def fold(text: str) -> str:
    """Lower case, ё→е, single spaces: the form names are compared in."""
    return " ".join(text.lower().replace("ё", "е").split())


def stem_key(word: str) -> str:
    """A coarse key shared by the case forms of a name (Андрей/Андрея → 'андр'); confirm with `same_word`."""
    w = fold(word)
    for n in (3, 2, 1):
        if len(w) - n >= 3 and w[-n:] in _all_endings():
            w = w[:-n]
            break
    stripped = w.rstrip(_VOWELS_TAIL)
    return stripped if len(stripped) >= 3 else w


def same_word(a: str, b: str) -> bool:
    """True when a and b can be case forms of one name: a shared stem of 3+ letters and known endings."""
    a, b = fold(a), fold(b)
    if a == b:
        return True
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return i >= 3 and a[i:] in _endings() and b[i:] in _endings()


def case_form(word: str, nominative: str) -> bool:
    """True when `word` is a case form of the nominative name `nominative`: the name less its nominative ending
    (if any), then a case ending ("Талдыкоргане" of "Талдыкорган", "Мангистауской" of "Мангистауская",
    "Штатов" of "Штаты"; not "Коно" of "Конев")."""
    w, n = fold(word), fold(nominative)
    if w == n:
        return True
    for ending in _nominative_endings():
        if n.endswith(ending):
            stem = n[:len(n) - len(ending)]
            if len(stem) >= 3 and w.startswith(stem) and w[len(stem):] in _all_endings():
                return True
    return False


def case_forms(words: Sequence[str], nominative: Sequence[str]) -> bool:
    return len(words) == len(nominative) and all(case_form(w, n) for w, n in zip(words, nominative))


# ---------------------------------------------------------------------------------------------- pymorphy adapter

@functools.cache
def _morph():
    import yargy.morph  # noqa: F401  -- patches pymorphy2 for Python >= 3.11 before it is imported
    import pymorphy2

    return pymorphy2.MorphAnalyzer()


@functools.lru_cache(maxsize=50_000)
def _parses(word: str):
    return tuple(_morph().parse(word))


@functools.lru_cache(maxsize=50_000)
def is_known_name(word: str) -> bool:
    """pymorphy's dictionary (not its guesser) has the word as a first name, surname or patronymic."""
    return any(p.is_known and {"Name", "Surn", "Patr"} & p.tag.grammemes for p in _parses(word))


_PROPER = {"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "Trad"}


def is_common_noun(token: Token) -> bool:
    """The dictionary knows the word only as an ordinary noun, in the case and number the tagger gave it
    ("Протесты" opening a heading); "Токаев" is no common noun although "токаев" is a form of "токай"."""
    case, number = _CASE.get(token.feat("Case") or ""), _NUMBER.get(token.feat("Number") or "")
    return _common_noun(token.text.lower(), case, number)


@functools.lru_cache(maxsize=50_000)
def _common_noun(word: str, case: str | None, number: str | None) -> bool:
    ps = _parses(word)
    if any(_PROPER & p.tag.grammemes for p in ps):
        return False
    return any(p.is_known and p.tag.POS == "NOUN" and (not case or case in p.tag.grammemes)
               and (not number or number in p.tag.grammemes) for p in ps)


_POS = {"NOUN": {"NOUN"}, "PROPN": {"NOUN"}, "ADJ": {"ADJF", "PRTF"}, "DET": {"ADJF", "NPRO"}, "NUM": {"ADJF", "NUMR"}}
_CASE = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct", "Par": "gen2"}
_GENDER = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
_NUMBER = {"Sing": "sing", "Plur": "plur"}


def _shape(word: str, like: str) -> str:
    """`word` written like `like`: upper case, capitalised or lower case, hyphenated part by part."""
    parts, models = word.split("-"), like.split("-")
    if len(parts) != len(models):
        parts, models = [word], [like]
    out = []
    for part, model in zip(parts, models):
        if len(model) > 1 and model.isupper():
            out.append(part.upper())
        elif model[:1].isupper():
            out.append(part[:1].upper() + part[1:])
        else:
            out.append(part)
    return "-".join(out)


@functools.lru_cache(maxsize=50_000)
def _inflect(word: str, pos: str, feats: str) -> str | None:
    token = Token(0, 0, word, word, pos, feats)
    want_pos = _POS.get(pos)
    case = _CASE.get(token.feat("Case") or "")
    if not want_pos or not case:
        return None
    gender, number = _GENDER.get(token.feat("Gender") or ""), _NUMBER.get(token.feat("Number") or "")
    best = None
    for p in _parses(word):
        g = p.tag.grammemes
        if p.tag.POS not in want_pos or case not in g:
            continue
        if number and number not in g:
            continue
        if gender and number != "plur" and {"masc", "femn", "neut"} & g and gender not in g and "ms-f" not in g:
            continue
        best = p
        break
    if best is None:
        return None
    target = {"nomn", "plur"} if "plur" in best.tag.grammemes else {"nomn"}
    form = best.inflect(target)
    return form.word if form else None


def nominative_word(token: Token) -> str:
    """The token in the nominative, keeping the gender and number the tagger gave it; the surface if unsure."""
    if token.feat("Case") in (None, "Nom") or not re.search(r"[а-яё]", token.text.lower()):
        return token.text
    word = _inflect(token.text.lower(), token.pos, token.feats)
    return _shape(word, token.text) if word else token.text


def nominative_group(tokens: Sequence[Token]) -> str:
    """Nominative of a name group: the head noun and the adjectives before it are inflected, the dependents after
    it stay as they are ("Министерства иностранных дел" → "Министерство иностранных дел", "Мангистауской
    области" → "Мангистауская область", "Социалистическое сопротивление Казахстана" unchanged)."""
    words: list[str] = []
    head_done = False
    for i, t in enumerate(tokens):
        if head_done or t.pos not in _POS:
            words.append(t.text)
            continue
        if t.feat("Case") == "Nom" and not words:
            return _join(tokens, [t.text for t in tokens])          # the group is already in the nominative
        word = nominative_word(t)
        words.append(word)
        if t.pos in ("NOUN", "PROPN"):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            # an indeclinable foreign modifier before the real head: "Жогорку Кенеша" → "Жогорку Кенеш"
            indeclinable = word == t.text and not _parses_known(t.text) and nxt is not None and \
                nxt.pos in ("NOUN", "PROPN") and nxt.feat("Case") == t.feat("Case")
            head_done = not indeclinable
    return _join(tokens, words)


@functools.lru_cache(maxsize=50_000)
def _parses_known(word: str) -> bool:
    return any(p.is_known for p in _parses(word.lower()))


def _join(tokens: Sequence[Token], words: Sequence[str]) -> str:
    out = []
    for i, (t, w) in enumerate(zip(tokens, words)):
        if i:
            out.append(" " if t.start > tokens[i - 1].stop else "")
        out.append(w)
    return "".join(out)


# ---------------------------------------------------------------------------------------------------- acronyms

def is_acronym(name: str) -> bool:
    """ОДКБ, МВД, NATO: one word of 2-8 letters, all capitals."""
    return bool(re.fullmatch(r"[A-ZА-ЯЁ]{2,8}", name))


def abbreviates(short: str, long: str) -> bool:
    """True when `short` is an acronym or compound abbreviation of the multiword `long`: each content word of
    `long`, in order, gives a prefix ("ОДКБ" ← "Организация Договора о коллективной безопасности",
    "Европарламент" ← "Европейский парламент", "Минобороны" ← "Министерство обороны")."""
    s = fold(short).replace("-", "")
    skip = set(rules()["acronym_skip"])
    words = [w for w in re.findall(r"[\w]+", fold(long)) if w not in skip]
    if len(words) < 2 or len(s) < 2 or " " in short.strip():
        return False

    @functools.cache
    def fit(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(s)
        w = words[j]
        return any(s.startswith(w[:k], i) and fit(i + k, j + 1) for k in range(1, min(len(w), len(s) - i) + 1))

    return fit(0, 0)
