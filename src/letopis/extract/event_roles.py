"""Who did it and to whom: the actors and targets of an event, read off the syntax tree.

    >>> actors, targets = find_roles(geo, k, idx, verb, "ASSAULT", text, mentions)
    >>> [(r.name, r.rule) for r in actors]               # "Полиция открыла огонь по демонстрантам"
    [('Полиция', 'nsubj')]                                # targets: [('демонстрантам', 'prep по')]

A role is a noun group (`group`): the head noun with its adjectives, numerals, genitives, names and appositions,
cut at token boundaries, without the preposition that governs it and without prepositional phrases of its own
(but "выходцы из …"). Where it comes from, for a predicate of the event (the trigger verb, its support verb, or the
light verb a trigger noun is the object of: "полиция начала задержания"):

- the subject is the actor, the object the target; in the passive ("задержаны полицией", Voice=Pass) the subject
  is the target and the instrumental the actor; the subject of an occurrence verb ("митинг прошел") is no one;
- a dative, or a prepositional phrase whose preposition the event's category lists ("огонь по демонстрантам",
  "обратился к ОДКБ"), is a target when it names someone;
- with no subject of its own, a conjunct verb takes the subject of the first ("окружили и задержали"), an infinitive
  its governor's subject or, under "призвать", "потребовать" …, its object ("призвал власти восстановить …"), an
  adverbial participle its clause's subject;
- on a trigger noun, the genitive is the actor ("митинг горняков", "отставка правительства") unless the noun comes
  from a transitive verb ("задержание журналиста", "разгон забастовки горняков": the target).

A relative pronoun stands for the noun group it follows ("горняков, которые бастуют"), a personal pronoun for the
last person or people of its gender and number named before it, or for no one; no other pronoun names anyone. An
actor names someone: an animate noun, a participle used as a noun ("протестующие"), an institution or group
(`agent_nouns`), a person or organisation NER found, or a state by its country or capital ("Казахстан направил",
"Москва заявила") — never another place ("в Караганде"), a thing or an event noun ("Протесты"). The tables are
`lexicons/roles.yaml`; every role keeps the `rule` that filled it.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import yaml

from ..annotate.gazetteer import gazetteer
from ..annotate.nlp import NerMention, Token
from .event_geometry import Sent, Span

LEXICON_PATH = Path(__file__).with_name("lexicons") / "roles.yaml"
MAX_SIDE = 8                         # words of a noun group on either side of its head
_GROUP_RELS = {"amod", "det", "nummod", "nummod:gov", "nummod:entity", "flat", "flat:name", "flat:foreign",
               "compound", "fixed", "appos"}
_OPENERS, _CLOSERS = {"«": "»", "(": ")", "„": "“", "“": "”"}, {"»": "«", ")": "(", "“": "„", "”": "“"}
_STATES = ("country", "capital")
_DATE = re.compile(r"\d+[.:/]\d+(?:[.:/]\d+)?")


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    span: Span
    rule: str          # which rule filled it: "nsubj", "passive subject", "relative → antecedent", …
    someone: bool = True   # it names someone, not a thing ("служебный автомобиль", "обвинения")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    group_preps: frozenset[str]
    approximators: frozenset[str]
    occurrence_verbs: frozenset[str]
    light_verbs: frozenset[str]
    object_control: frozenset[str]
    victim_verbs: frozenset[str]
    counted_people: frozenset[str]
    agent_nouns: frozenset[str]
    quantity_nouns: frozenset[str]
    relative: frozenset[str]
    personal: dict[str, str]
    objective_nouns: frozenset[str]
    target_preps: dict[str, frozenset[str]]
    accusative_preps: frozenset[str]
    compound_preps: dict[str, str]
    thing_objects: frozenset[str]
    dative_targets: frozenset[str]


@functools.cache
def lexicon() -> _Lexicon:
    d = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    s = lambda key: frozenset(d[key])   # noqa: E731
    return _Lexicon(s("group_preps"), s("approximators"), s("occurrence_verbs"), s("light_verbs"),
                    s("object_control"), s("victim_verbs"), s("counted_people"), s("agent_nouns"), s("quantity_nouns"),
                    s("relative_pronouns"),
                    dict(d["personal_pronouns"]), s("objective_nouns"),
                    {k: frozenset(v) for k, v in d["target_preps"].items()}, s("accusative_preps"),
                    dict(d["compound_preps"]), s("thing_objects"), s("dative_targets"))


def find_roles(geo: Sequence[Sent], k: int, idx: tuple[int, ...], verb: int | None, category: str, text: str,
               mentions: Sequence[NerMention], names: Callable[[Span], str | None] | None = None,
               event_nouns: frozenset[str] = frozenset()) -> tuple[tuple[Role, ...], tuple[Role, ...]]:
    """(actors, targets) of the event whose trigger is tokens `idx` of sentence k (`verb`: its support verb)."""
    reader = _Reader(geo, k, idx, category, text, mentions, names, event_nouns)
    if not geo[k].sent.parsed:
        return reader.unparsed()
    return reader.read(verb)


def _verbal(t: Token) -> bool:
    """A predicate: a verb that is not an attributive participle ("задержаны" is, "задержанных" is not)."""
    if t.pos not in ("VERB", "AUX"):
        return False
    return t.feat("VerbForm") != "Part" or t.feat("Variant") == "Short"


class _Reader:
    """The tree of one event's sentence, read for its roles."""

    def __init__(self, geo, k, idx, category, text, mentions, names, event_nouns):
        self.geo, self.k, self.g = geo, k, geo[k]
        self.sent, self.toks = self.g.sent, self.g.sent.tokens
        self.idx, self.category, self.text = idx, category, text
        self.mentions = [m for m in mentions if m.type in ("PER", "ORG", "LOC")]
        self.names, self.event_nouns, self.lex = names, event_nouns, lexicon()
        self.line = self.g.line[idx[0]]
        self.actors: list[Role] = []
        self.targets: list[Role] = []

    # --- the predicate and the trigger noun ------------------------------------------------------------------

    def read(self, verb: int | None) -> tuple[tuple[Role, ...], tuple[Role, ...]]:
        toks, idx = self.toks, self.idx
        preds = [i for i in idx if _verbal(toks[i])]
        nouns = [i for i in idx if toks[i].pos in ("NOUN", "PROPN") and i not in preds]
        if preds:
            self._predicate(preds[0], own=True)
        elif verb is not None:
            self._predicate(verb, own=False)
        elif nouns:
            up = toks[nouns[0]].head
            if 0 <= up < len(toks) and toks[nouns[0]].rel == "obj" and toks[up].lemma in self.lex.light_verbs:
                self._predicate(up, own=False)        # "полиция начала задержания", "открыли стрельбу"
        for n in nouns:
            self._noun(n, main=n == nouns[0] and not preds)
        return tuple(self.actors), tuple(self.targets)

    def _children(self, i: int) -> list[int]:
        return [c for c in self.sent.children(i) if c not in self.idx and self.g.line[c] == self.line]

    def _case_words(self, i: int) -> list[str]:
        return [self.toks[c].lemma for c in self.sent.children(i) if self.toks[c].rel == "case"]

    def _predicate(self, v: int, own: bool) -> None:
        toks, lex = self.toks, self.lex
        passive = toks[v].feat("Voice") == "Pass"
        occurrence = not own and toks[v].lemma in lex.occurrence_verbs
        for c in self._children(v):
            t, preps = toks[c], self._case_words(c)
            if t.rel in ("nsubj", "nsubj:pass"):
                if toks[v].lemma in lex.victim_verbs:
                    self._add(c, "target", "subject of a death or wound")
                elif passive or t.rel == "nsubj:pass":
                    self._add(c, "target", "passive subject", thing=True)
                elif not occurrence:
                    self._add(c, "actor", "nsubj", subject=True)
            elif t.rel == "obj" and own and not passive:
                self._add(c, "target", "obj", thing=self.category in lex.thing_objects)
            elif t.rel in ("obl", "iobj", "obl:agent") and not preps:
                if t.feat("Case") == "Ins" and (passive or t.rel == "obl:agent"):
                    self._add(c, "actor", "passive agent")
                elif t.feat("Case") == "Dat" and self.category in lex.dative_targets and own:
                    self._add(c, "target", "dative")
            elif t.rel in ("obl", "nmod") and preps:
                self._oblique(c, preps)
        if not self.actors and not passive and toks[v].lemma not in lex.victim_verbs:
            self._borrowed_subject(v)
        if own and not occurrence:
            self._adjacent(v, passive)
        objects = [r for r in self.targets if r.rule == "obj"]
        mine = [r for r in objects if self._clause_at(r.span[0]) == self.g.clause[v]]
        if len(objects) > 1 and mine:                  # "протестовали …, около пяти тысяч человек, а … милиция
            self.targets = [r for r in self.targets if r.rule != "obj" or r in mine]   # задержала 43 участника"
        things = [r for r in self.targets if r.rule == "obj" and not r.someone]
        if things and len(things) < sum(r.rule == "obj" for r in self.targets):
            self.targets = [r for r in self.targets if r not in things]   # "троих арестовали", not "сомов"

    def _adjacent(self, v: int, passive: bool) -> None:
        """Where the tree gives a verb no subject (or, active, no object), the nominative group right before it that
        agrees with it ("«группа провокаторов» подожгла"), and the accusative one right after it ("подожгла
        служебный автомобиль"): only modifiers between, in its clause."""
        toks, g, verb = self.toks, self.g, self.toks[v]
        near = lambda j: 0 <= j < len(toks) and g.clause[j] == g.clause[v] and j not in self.idx   # noqa: E731
        victim = verb.lemma in self.lex.victim_verbs
        if (victim and not self.targets or not self.actors and not victim) and not passive and verb.feat("Number"):
            j = v - 1
            while near(j) and (toks[j].pos in ("ADV", "PART") or toks[j].text in _CLOSERS):
                j -= 1
            h = self._group_head(j) if near(j) else -1
            if near(h) and toks[h].pos in ("NOUN", "PROPN") and toks[h].feat("Case") == "Nom" \
                    and self._agrees(toks[h], verb.feat("Number"), verb.feat("Gender")):
                self._add(h, "target" if victim else "actor", "nominative before the verb", subject=True)
        if not passive and not any(r.rule in ("obj", "passive subject") for r in self.targets):
            j = v + 1
            while near(j) and toks[j].pos in ("ADJ", "DET", "ADV", "PART") and toks[j].feat("Case") in ("Acc", None):
                j += 1
            if near(j) and toks[j].pos in ("NOUN", "PROPN") and toks[j].feat("Case") == "Acc":
                self._add(j, "target", "accusative after the verb", thing=self.category in self.lex.thing_objects)

    def _group_head(self, j: int) -> int:
        """The head of the group token j ends ("группа провокаторов": группа)."""
        toks = self.toks
        for _ in range(3):
            h = toks[j].head
            if 0 <= h < j and toks[j].rel in ("nmod", "flat", "flat:name", "appos") and toks[h].pos in (
                    "NOUN", "PROPN"):
                j = h
            else:
                break
        return j

    def _clause_at(self, offset: int) -> int:
        return next((c for t, c in zip(self.toks, self.g.clause) if t.start >= offset), self.g.clause[-1])

    def _counted_people(self, i: int) -> bool:
        """"девять человек", "более 20 человек": a count, which the figures stage keeps."""
        toks = self.toks
        head = next((c for c in self.sent.children(i) if toks[c].pos == "NOUN"), i) \
            if toks[i].lemma in self.lex.approximators or toks[i].pos == "NUM" else i
        return toks[head].lemma in self.lex.counted_people and (head != i or any(
            toks[c].rel.startswith("nummod") for c in self.sent.children(head)))

    def _oblique(self, c: int, preps: list[str]) -> None:
        t, lex = self.toks[c], self.lex
        role = lex.compound_preps.get(t.lemma)
        if role:                                       # "со стороны полиции", "в отношении задержанных"
            for gc in self._children(c):
                if self.toks[gc].rel == "nmod" and not self._case_words(gc):
                    self._add(gc, role, f"{preps[0]} {t.text}")
            return
        prep = preps[0]
        if prep in lex.target_preps.get(self.category, ()) and (
                prep not in lex.accusative_preps or t.feat("Case") == "Acc"):
            self._add(c, "target", f"prep {prep}", state_place=prep not in lex.accusative_preps)

    def _borrowed_subject(self, v: int) -> None:
        """The subject of a conjunct's first verb, of an infinitive's governor (its object under "призвать"), of
        the clause an adverbial participle hangs on."""
        toks, lex = self.toks, self.lex
        for _ in range(2):
            t = toks[v]
            up = t.head
            if not 0 <= up < len(toks) or self.g.line[up] != self.line:
                return
            h = toks[up]
            if t.rel == "conj" and _verbal(h) and not any(
                    toks[j].text == ";" for j in range(min(up, v), max(up, v))):
                rule = "subject of the first conjunct"
            elif t.rel == "xcomp" and h.pos in ("VERB", "AUX", "ADJ"):
                if h.lemma in lex.object_control:
                    for c in self.sent.children(up):      # "приказал полиции задержать": the dative too
                        if c not in self.idx and (toks[c].rel == "obj" or toks[c].rel in ("iobj", "obl") and toks[
                                c].feat("Case") == "Dat" and not self._case_words(c)):
                            self._add(c, "actor", "object of the governor")
                            return
                    return
                rule = "subject of the governor"
            elif t.rel == "advcl" and t.feat("VerbForm") == "Conv":
                rule = "subject of the clause"
            else:
                return
            if h.feat("Voice") == "Pass":
                return
            subjects = [c for c in self.sent.children(up) if toks[c].rel == "nsubj" and c not in self.idx]
            if subjects:
                self._add(subjects[0], "actor", rule, subject=True)
                return
            v = up

    def _noun(self, n: int, main: bool) -> None:
        """The genitive and the prepositional phrases of a trigger noun."""
        toks, lex = self.toks, self.lex
        objective = toks[n].lemma in lex.objective_nouns
        for c in self._children(n):
            t, preps = toks[c], self._case_words(c)
            if t.rel in ("nmod", "nmod:poss") and not preps and t.feat("Case") in ("Gen", None):
                if main:
                    self._add(c, "target" if objective else "actor",
                              "objective genitive" if objective else "genitive")
                elif self.category in ("ASSAULT", "COERCE"):   # "разгон забастовки горняков", "подавили протесты
                    self._add(c, "target", "genitive of the object")   # рабочих"
            elif t.rel in ("nmod", "obl", "iobj") and not preps and t.feat("Case") == "Dat" \
                    and self.category in lex.dative_targets:
                self._add(c, "target", "dative")       # "помощь пострадавшим жителям"
            elif t.rel in ("nmod", "obl") and preps:
                self._oblique(c, preps)

    # --- noun groups -------------------------------------------------------------------------------------------

    def _add(self, i: int, role: str, rule: str, thing: bool = False, state_place: bool = True,
             subject: bool = False) -> None:
        """Token i's group in `role`, if it names someone (or `thing` allows a thing), and its conjuncts ("Россия и
        Беларусь направили")."""
        self._add_one(i, role, rule, thing, state_place, subject)
        for c in self.sent.children(i):
            if self.toks[c].rel == "conj" and self.toks[c].pos in ("NOUN", "PROPN") and c not in self.idx \
                    and self.g.line[c] == self.line:
                self._add_one(c, role, f"{rule}, conjunct", thing, state_place, subject)

    def _add_one(self, i: int, role: str, rule: str, thing: bool, state_place: bool, subject: bool) -> None:
        if self._counted_people(i):
            return                                      # "задержаны 180 человек": a figure, which that stage keeps
        found = self._resolve(i, rule)
        if found is None:
            return
        head, span, name, rule = found
        if head is not None and not self._acceptable(head, role, thing, state_place, i if subject else None):
            return
        if any(span[0] < self.toks[j].stop and self.toks[j].start < span[1] for j in self.idx):
            return                                      # the trigger's own words: "Протесты" of a protest
        both = self.actors + self.targets
        if any(r.span == span for r in both):
            return
        someone = head is None or self._someone(head)
        (self.actors if role == "actor" else self.targets).append(Role(name, span, rule, someone))

    def _resolve(self, i: int, rule: str):
        """(head token or None, span, name, rule) of the group token i heads, a pronoun resolved; None for no one."""
        t = self.toks[i]
        if t.pos == "PRON" or t.pos == "DET":
            if t.lemma in self.lex.relative:
                j = self._antecedent(i)
                if j is None:
                    return None
                span, name = self.group(j)
                return j, span, name, f"{rule}, relative → antecedent"
            if t.lemma in self.lex.personal:
                return self._person_before(i, rule)
            return None                                  # "кто", "это", "все", "себя": no one named
        counted = [c for c in self.sent.children(i) if self.toks[c].pos in ("NOUN", "PROPN") and c > i]
        if t.lemma in self.lex.approximators and counted:      # "более 200 человек" parsed with "более" on top
            span, _ = self.group(counted[0])
            if span is None:
                return None
            first = min([i] + [c for c in self.sent.children(i) if self.toks[c].lemma == "не" and c < i])
            span = (self.toks[first].start, span[1])      # "не менее 70 человек"
            return counted[0], span, self.text[span[0]:span[1]], rule
        span, name = self.group(i)
        if span is None:
            return None
        return i, span, name, rule

    def group(self, i: int, sent: Sent | None = None) -> tuple[Span | None, str]:
        """The span and text of the noun group headed by token i (None for a bare number)."""
        g = sent or self.g
        toks, lex = g.sent.tokens, self.lex
        members, frontier = {i}, [(i, 0, False)]
        while frontier:
            k, depth, in_pp = frontier.pop()
            for c in g.sent.children(k):
                t = toks[c]
                if g.line[c] != g.line[i] or c in members:
                    continue
                preps = [toks[x].lemma for x in g.sent.children(c) if toks[x].rel == "case"]
                ok, pp = False, in_pp
                if t.rel in _GROUP_RELS:
                    ok = True
                elif t.rel in ("nmod", "nmod:poss") and depth < 3:
                    if not preps:
                        ok = t.feat("Case") in ("Gen", None)
                    elif preps[0] in lex.group_preps and not in_pp:
                        ok = pp = True
                elif t.rel == "case":
                    ok = k != i or t.lemma in lex.approximators
                elif t.rel == "advmod":
                    ok = t.lemma in lex.approximators
                if ok and _DATE.fullmatch(t.text) or ok and t.text.isdigit() and t.rel in ("amod", "appos"):
                    ok = False                         # "Кабинет министров 16.03.2023 приостановил …"
                if ok:
                    members.add(c)
                    frontier.append((c, depth + 1, pp))
        for m in self.mentions:                        # a name stays whole: "депутат Жогорку Кенеша Азиз Карабаев"
            inside = [j for j, t in enumerate(toks) if m.start <= t.start < m.stop]
            if m.type != "LOC" and inside and members & set(inside) and all(g.line[j] == g.line[i] for j in inside):
                members |= set(inside)
        lo, hi = self._contiguous(g, i, members)
        if lo > 0 and toks[lo - 1].lemma == "не" and toks[lo].lemma in ("менее", "более"):
            lo -= 1                                    # "не менее 70 человек"
        words = [t for t in toks[lo:hi + 1] if t.pos != "PUNCT"]
        if all(t.pos == "NUM" and t.feat("Animacy") != "Anim" or t.text.isdigit() or t.lemma in lex.approximators
               for t in words):
            return None, ""                            # "260", but "троих" names people
        return (toks[lo].start, toks[hi].stop), self.text[toks[lo].start:toks[hi].stop]

    def _contiguous(self, g: Sent, i: int, members: set[int]) -> tuple[int, int]:
        """The run of tokens around i that members, punctuation and names fill ("Омбудсмен (Акыйкатчы) Кыргызстана
        Айнура Сатыбалдиева"), edges trimmed, quotes and brackets balanced, at most MAX_SIDE words on either side."""
        toks = g.sent.tokens
        lo, hi = min(members), max(members)
        depth, inside = 0, set()
        for j in range(lo, hi + 1):                    # tokens within brackets or quotes inside the span
            if toks[j].text in _OPENERS and toks[j].text not in _CLOSERS:
                depth += 1
            elif toks[j].text in _CLOSERS and depth:
                depth -= 1
            elif depth:
                inside.add(j)
        named = {j for j in range(lo, hi + 1) if any(m.start <= toks[j].start < m.stop for m in self.mentions)}
        filler = lambda j: j in members or toks[j].pos == "PUNCT" or j in inside or j in named   # noqa: E731
        word = lambda j: toks[j].pos != "PUNCT"   # noqa: E731
        a, n = i, 0
        while a > lo and filler(a - 1) and n + word(a - 1) <= MAX_SIDE:
            a, n = a - 1, n + word(a - 1)
        b, n = i, 0
        while b < hi and filler(b + 1) and n + word(b + 1) <= MAX_SIDE:
            b, n = b + 1, n + word(b + 1)
        while a < i and (toks[a].pos in ("PUNCT", "CCONJ") or toks[a].rel == "cc") and toks[a].text not in _OPENERS:
            a += 1
        while b > i and toks[b].pos in ("PUNCT", "CCONJ", "ADP") and toks[b].text not in _CLOSERS:
            b -= 1
        for _ in range(2):                             # «Шахтинской горной компании» (ШГК), Бюро "Тайанч"
            text = [t.text for t in toks[a:b + 1]]
            if text.count('"') % 2:
                if b + 1 < len(toks) and toks[b + 1].text == '"':
                    b += 1
                elif toks[a].text == '"':
                    a += 1
            for op, cl in (("«", "»"), ("(", ")")):
                if text.count(op) > text.count(cl):
                    if b + 1 < len(toks) and toks[b + 1].text == cl:
                        b += 1
                    elif toks[a].text == op:
                        a += 1
                elif text.count(cl) > text.count(op):
                    if a > 0 and toks[a - 1].text == op:
                        a -= 1
                    elif toks[b].text == cl:
                        b -= 1
        return a, b

    # --- who counts --------------------------------------------------------------------------------------------

    def _mention_at(self, t: Token, sent: Sent | None = None) -> NerMention | None:
        return next((m for m in self.mentions if m.start <= t.start < m.stop), None)

    def _someone(self, i: int, sent: Sent | None = None) -> bool:
        """Whether token i heads a group that names someone who acts or suffers."""
        g = sent or self.g
        toks, lex = g.sent.tokens, self.lex
        t = toks[i]
        m = self._mention_at(t)
        if m is not None:
            return m.type != "LOC" or self._state(m)
        if t.pos == "NUM" and t.feat("Animacy") == "Anim":
            return True                                # "троих", "пятерых"
        if t.lemma in lex.quantity_nouns or t.pos == "NUM":   # "большинство семей", "часть людей"
            counted = [c for c in g.sent.children(i) if toks[c].rel in ("nmod", "nummod:gov", "flat")
                       and toks[c].pos in ("NOUN", "PROPN", "VERB", "ADJ")]
            return any(self._someone(c, g) for c in counted)
        if t.pos == "PROPN" and self._place_kind(t.text) is not None:
            return self._place_kind(t.text) in _STATES   # a place NER missed: "Казахстан закрыл …"
        if t.pos in ("NOUN", "PROPN"):
            return t.feat("Animacy") == "Anim" or t.lemma in lex.agent_nouns
        if t.pos == "VERB":                            # "протестующие", "задержанные"
            return t.feat("VerbForm") == "Part" and t.feat("Variant") != "Short"
        return t.pos == "ADJ" and t.feat("Case") is not None      # "Неизвестные", "раненые"

    def _state(self, m: NerMention) -> bool:
        """A place that stands for its state: a country or a capital ("Казахстан направил", "Москва заявила")."""
        return self._place_kind(m.normal or m.text) in _STATES

    @staticmethod
    @functools.lru_cache(maxsize=4096)
    def _place_kind(name: str) -> str | None:
        place = gazetteer().best(name)
        return place.kind if place is not None else None

    def _acceptable(self, i: int, role: str, thing: bool, state_place: bool, subject: int | None) -> bool:
        """Whether the group headed by token i may fill `role` (`subject`: the token that stands as the subject
        of the clause, itself or the relative pronoun of an antecedent, which must be in the nominative)."""
        t = self.toks[i]
        case = self.toks[subject].feat("Case") if subject is not None else None
        m = self._mention_at(t)
        if m is not None and m.type == "LOC" or m is None and t.pos == "PROPN" and self._place_kind(t.text):
            kind = self._place_kind(m.normal or m.text) if m is not None else self._place_kind(t.text)
            return state_place and kind in _STATES and case in ("Nom", "Acc", None)
        if t.pos in ("NOUN", "PROPN") and t.feat("Animacy") != "Anim" and t.lemma in self.event_nouns \
                and t.lemma not in self.lex.agent_nouns:
            return role == "target" and thing         # "разогнали митинг": the rally is what they dispersed
        if role == "actor":
            counted = any(self.toks[j].rel in ("nummod", "nummod:gov") for j in self.sent.children(i))
            if case in ("Loc", "Dat", "Ins") and not counted and t.lemma not in self.lex.quantity_nouns:
                return False                           # no subject in an oblique case ("в Караганде"); "Кыргызстан"
            return self._someone(i)                    # may be tagged accusative, an indeclinable "Бюро" genitive
        return thing or self._someone(i)

    # --- pronouns ----------------------------------------------------------------------------------------------

    @staticmethod
    def _agrees(t: Token, number: str | None, gender: str | None) -> bool:
        if number and t.feat("Number") and t.feat("Number") != number:
            return False
        return number == "Plur" or not gender or not t.feat("Gender") or t.feat("Gender") == gender

    def _antecedent(self, i: int) -> int | None:
        """The noun a relative pronoun stands for: the head of its clause when that agrees with it, else the nearest
        agreeing noun before it ("митинг горняков, которые бастуют": горняков)."""
        toks, t = self.toks, self.toks[i]
        number, gender = t.feat("Number"), t.feat("Gender")
        noun = lambda j: toks[j].pos in ("NOUN", "PROPN") and j not in self.idx   # noqa: E731
        j = i
        for _ in range(4):
            j = toks[j].head
            if not 0 <= j < len(toks):
                break
            if toks[j].rel == "acl:relcl":
                h = toks[j].head
                if 0 <= h < i and noun(h) and self._agrees(toks[h], number, gender):
                    return h
                break
        for j in range(i - 1, max(-1, i - 10), -1):
            if noun(j) and self._agrees(toks[j], number, gender):
                return self._phrase_top(j, number, gender)
        return None

    def _phrase_top(self, j: int, number: str | None, gender: str | None) -> int:
        """Where the nearest agreeing noun is a place inside a longer name, the name's head when that agrees too
        ("Кабинета министров Кыргызстана, который обратился": Кабинета)."""
        toks = self.toks
        if self._mention_at(toks[j]) is None or self._mention_at(toks[j]).type != "LOC":
            return j
        top = j
        for _ in range(3):                          # the first head up the name that agrees
            h = toks[top].head
            if not 0 <= h < top or toks[top].rel != "nmod":
                break
            top = h
            if self._agrees(toks[top], number, gender):
                return top
        return j

    def _person_before(self, i: int, rule: str):
        """The last person (or people, for "они") of the pronoun's gender and number named before it: this sentence,
        then up to two sentences back in its paragraph; None when there is none."""
        want = self.lex.personal[self.toks[i].lemma]
        number, gender = ("Plur", None) if want == "Plur" else ("Sing", want)
        for back in range(3):
            k = self.k - back
            if k < 0 or self.geo[k].paragraph != self.g.paragraph:
                return None
            g = self.geo[k]
            toks = g.sent.tokens
            last = i if back == 0 else len(toks)
            for j in range(last - 1, -1, -1):
                t = toks[j]
                if t.pos not in ("NOUN", "PROPN") or (back == 0 and j in self.idx):
                    continue
                if not self._agrees(t, number, gender) or not t.feat("Number"):
                    continue
                m = self._mention_at(t)
                if m is not None and m.type == "PER":
                    name = (self.names((m.start, m.stop)) if self.names else None) or m.normal or m.text
                    return None, (m.start, m.stop), name, f"{rule}, pronoun → person named before"
                if m is None and t.feat("Animacy") == "Anim" and t.rel != "flat:name":
                    span, name = self.group(j, g)
                    if span is not None:
                        return None, span, name, f"{rule}, pronoun → person named before"
        return None

    # --- a sentence without a tree -----------------------------------------------------------------------------

    def unparsed(self) -> tuple[tuple[Role, ...], tuple[Role, ...]]:
        """No tree: a person or organisation in the nominative right before the trigger, in its clause."""
        toks, g = self.toks, self.g
        start = toks[self.idx[0]].start
        clause = g.clause[self.idx[0]]
        for m in reversed([m for m in self.mentions if self.sent.start <= m.start and m.stop <= start]):
            first = next((j for j, t in enumerate(toks) if t.start >= m.start), None)
            if first is None or g.clause[first] != clause:
                break
            if m.type in ("PER", "ORG") and toks[first].feat("Case") in ("Nom", None):
                return (Role(m.normal or m.text, (m.start, m.stop), "named before the trigger (no tree)"),), ()
            break
        return (), ()
