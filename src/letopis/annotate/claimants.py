"""Who says so: the claimant of a figure (`lexicons/attribution.yaml`).

A quote's speaker, "по данным X", the subject of a verb of saying in the sentence ("В МВД заявили, что…"),
"Об этом сообщил X" right after it, or the speaker of the sentence before ("Тогда сообщалось о…"). The rules are
methods of `ClaimantRules`, which the figure annotator (`figures._Figures`) extends: they read its text, analysis,
lexicon and quotes.
"""
from __future__ import annotations

import bisect
import re

from typing import Any

from .nlp import NerMention
from .quantities import Quantity, Span
from .tokens import is_noun, match_bracket, nominative


class ClaimantRules:
    """Claimant lookups over `self.text`, `self.a` (Analysis), `self.w` (figure lexicon), `self.quotes`."""

    def source(self, si: int, qi: int, qj: int, q: Quantity) -> tuple[str, Span, str] | None:
        """The claimant: a quote's speaker, 'по данным X', the subject of a verb of saying in the sentence,
        'Об этом сообщил X' right after it, or the speaker before 'Тогда сообщалось о…'."""
        inside = [(a, b) for a, b in self.quotes if a < q.span[0] and q.span[1] < b]
        found = self.quote_speaker(*inside[-1]) if inside else None
        if found:
            return found + ("quote",)
        found = self.marker(si, qi)
        if found:
            return found
        toks = self.a.sentences[si].tokens
        colon = next((k for k in range(min(qi, 6)) if toks[k].text == ":"), None)
        if colon:                                            # "МВД Казахстана: ранены 1300 полицейских"
            named = [m for m in self.mentions_in(toks[0].start, toks[colon].start) if m.type in ("ORG", "PER")]
            k = next((i for i, t in enumerate(toks) if named and t.start >= named[0].start), 0)
            if named or toks[0].lemma in self.w.claimants:
                return self.group_name(si, k) + ("colon",)
        verbs = [k for k, t in enumerate(toks) if t.lemma in self.w.speech_verbs and not qi <= k < qj]
        for k in sorted((k for k in verbs if k < qi), reverse=True):
            found = self.said(si, k, lambda i: not qi <= i < qj)
            if found:
                return found
        for k in (k for k in verbs if k >= qj):             # "…, сообщил X": the subject comes after the verb
            found = self.said(si, k, lambda i, k=k: i > k)
            if found:
                return found
        nxt = self.a.sentences[si + 1].tokens[:2] if si + 1 < len(self.a.sentences) else ()
        if [t.text.lower() for t in nxt] == ["об", "этом"]:
            found = self.said(si + 1, None, lambda i: True, "next:")
            if found:
                return found
        if si and self.lemmas[si] & self.w.impersonal:
            return self.said(si - 1, None, lambda i: True, "carry-over:")
        return None

    def said(self, si: int, k: int | None, allowed, prefix: str = "speech:") -> tuple[str, Span, str] | None:
        """The subject of the verb of saying k (None: the last one in the sentence), unless the verb is negated."""
        toks = self.a.sentences[si].tokens
        if k is None:
            k = next((i for i in reversed(range(len(toks))) if toks[i].lemma in self.w.speech_verbs), None)
            if k is None:
                return None
        i = k - 1
        while i >= 0 and toks[i].lemma in ("еще", "уже", "пока", "так", "и"):
            i -= 1
        if i >= 0 and toks[i].lemma == "не":
            return None
        found = self.subject(si, k, allowed)
        return found + (prefix + toks[k].lemma,) if found else None

    def marker(self, si: int, qi: int) -> tuple[str, Span, str] | None:
        """'по данным правозащитников', 'по его словам': the nearest marker, before the number first."""
        toks = self.a.sentences[si].tokens
        low = [t.text.lower().replace("ё", "е") for t in toks]
        hits = []
        for i in range(len(toks)):
            for m in self.w.markers:
                n, pron = len(m), None
                if tuple(low[i:i + n]) != m:
                    if not (n == 2 and low[i] == m[0] and low[i + 1:i + 3][-1:] == [m[1]]
                            and low[i + 1] in self.w.possessives):
                        continue
                    n, pron = 3, low[i + 1]
                hits.append((i > qi, abs(qi - i), i, n, pron, " ".join(m)))
                break
        for _, _, i, n, pron, name in sorted(hits):
            k = i + n
            while k < len(toks) and toks[k].pos in ("ADJ", "DET") and k < i + n + 3:
                k += 1
            if pron:
                found = self.resolve(si, toks[i].start, self.w.possessives[pron])
            else:
                found = self.claimant(si, k) if k < len(toks) and is_noun(toks[k]) else None
            if found:
                return found + ("marker:" + name,)
        return None

    def subject(self, si: int, v: int, allowed) -> tuple[str, Span] | None:
        """Who does the saying: the parse's nsubj, else the noun before the verb, else the one after it."""
        sent = self.a.sentences[si]
        toks = sent.tokens

        def ok(i: int) -> bool:
            t = toks[i]
            return allowed(i) and t.pos != "NUM" and t.text.lower() not in self.w.number_forms and t.lemma not in (
                "что", "это", "кто")

        if sent.parsed:
            for c in sent.children(v):
                found = self.claimant(si, c) if toks[c].rel in ("nsubj", "nsubj:pass") and ok(c) else None
                if found:
                    return found
        plural = toks[v].feat("Number") == "Plur"
        k = v - 1
        while k >= 0 and v - k <= 8:                      # before the verb: "власти Казахстана обнародовали"
            t = toks[k]
            if t.text in "[]" or t.pos in ("ADV", "PART", "AUX") or (t.feat("Case") == "Gen" and is_noun(t)):
                k -= 1
                continue
            if t.text == "»" or ((is_noun(t) or t.pos == "PRON") and t.feat("Case") in (None, "Nom")):
                if ok(k):
                    return self.claimant(si, k)
                break
            i = k - 1
            while i > 0 and toks[i].pos == "ADJ":
                i -= 1
            if plural and is_noun(t) and i >= 0 and toks[i].lemma == "в" and ok(k):   # "В МВД заявили"
                return self.claimant(si, k)
            break
        k = v + 1
        while k < len(toks) and k - v <= 6:                # after it: "сообщил госсекретарь США", "заявили в МВД"
            t = toks[k]
            if t.pos in ("ADV", "PART") or t.text in "[]":
                k += 1
                continue
            if plural and t.lemma == "в":                 # "сообщили в городском акимате"
                k += 1
                while k < len(toks) - 1 and toks[k].pos == "ADJ":
                    k += 1
                if not is_noun(toks[k]):
                    break
            elif not ((is_noun(t) or t.pos == "PRON") and t.feat("Case") in (None, "Nom")):
                break
            return self.claimant(si, k) if ok(k) else None
        return None

    def claimant(self, si: int, k: int) -> tuple[str, Span] | None:
        toks = self.a.sentences[si].tokens
        t = toks[k]
        if t.text == "»":                                 # «Социалистическое сопротивление Казахстана» заявляет
            a = match_bracket(toks, k, "«", -1)
            if a == k or a + 1 >= k:
                return None
            start, stop = toks[a + 1].start, toks[k - 1].stop
            return self.text[start:stop], (start, stop)
        if t.lemma == "который":                          # "Ташиев, который заявил, что…"
            k = next((i for i in range(k - 1, max(k - 4, -1), -1) if is_noun(toks[i])), None)
            return self.group_name(si, k) if k is not None else None
        if t.pos == "PRON":
            return self.resolve(si, t.start, t.lemma) if t.lemma in ("он", "она", "они") else None
        return self.group_name(si, k)

    def group_name(self, si: int, h: int) -> tuple[str, Span]:
        """The claimant's noun group named in the nominative: 'правозащитников' → 'правозащитники'."""
        toks = self.a.sentences[si].tokens
        a = h
        while a > 0 and toks[a - 1].pos == "ADJ":
            a -= 1
        b, k, nouns = h, h + 1, 0
        while k < len(toks) and nouns < 3:           # genitive tail: "власти Казахстана", "пресс-служба городского УВД"
            t = toks[k]
            if t.text == "«":
                close = match_bracket(toks, k, "»", 1)
                if close == k:
                    break
                b = k = close
            elif is_noun(t) and (t.feat("Case") == "Gen" or t.pos == "PROPN"):
                b = k
            elif not (t.pos == "ADJ" and t.feat("Case") == "Gen"):
                break
            nouns += t.pos != "ADJ"
            k += 1
        span = (toks[a].start, toks[b].stop)
        inside = [m for m in self.mentions_in(*span) if m.type in ("PER", "ORG")]
        per = [m for m in inside if m.type == "PER"]
        if per:
            return per[-1].normal, (per[-1].start, per[-1].stop)
        after = toks[h + 1].stop if h + 1 < len(toks) and toks[h + 1].text == "«" else toks[h].stop
        org = next((m for m in inside if m.start <= toks[h].start < m.stop), None) or next(
            (m for m in inside if toks[h].stop <= m.start <= after + 1 and self.nominative_at(si, m.start)), None)
        if org and org.start > toks[h].start:                 # the appositive names it
            return org.normal, (org.start, org.stop)
        if org:                                               # the organisation is the head, maybe with a tail
            name = org.text if toks[h].feat("Case") in (None, "Nom") else org.normal
            rest = self.text[org.stop:span[1]].strip()
            return (f"{name} {rest}" if rest else name), (org.start, max(org.stop, span[1]))
        head = " ".join(nominative(toks[i]) for i in range(a, h + 1))
        rest = self.text[toks[h].stop:span[1]].strip()
        return (f"{head} {rest}" if rest else head), span

    def nominative_at(self, si: int, start: int) -> bool:
        """An appositive name ("издания «Акипресс»", "агентство Reuters"), not a genitive ("пресс-служба МВД")."""
        t = next((t for t in self.a.sentences[si].tokens if t.start >= start), None)
        return t is not None and (self.text[start - 1:start] == "«" or t.feat("Case") in (None, "Nom"))

    def mentions_in(self, start: int, stop: int) -> list[NerMention]:
        starts = self.mention_starts
        return self.mentions[bisect.bisect_left(starts, start):bisect.bisect_left(starts, stop)]

    def resolve(self, si: int, pos: int, pronoun: str) -> tuple[str, Span] | None:
        """'он'/'она' → the last person named before; 'они' → the last organisation or claimant noun."""
        for sj in range(si, max(si - 3, -1), -1):
            sent = self.a.sentences[sj]
            cands: list[tuple[int, Any]] = []
            for m in self.mentions_in(sent.start, min(sent.stop, pos)):
                if m.type == ("PER" if pronoun in ("он", "она") else "ORG"):
                    cands.append((m.start, m))
            if pronoun == "они":
                cands += [(t.start, k) for k, t in enumerate(sent.tokens)
                          if t.start < pos and t.lemma in self.w.claimants and t.feat("Number") != "Sing"]
            if cands:
                _, best = max(cands, key=lambda c: c[0])
                if isinstance(best, NerMention):
                    return (best.normal if best.type == "PER" else best.text), (best.start, best.stop)
                return self.group_name(sj, best)
        return None

    def quote_speaker(self, a: int, b: int) -> tuple[str, Span] | None:
        """«…», — сказал он / X рассказывает: «…»."""
        m = re.match(r"[,.!?…]*\s*[—–-]+\s*", self.text[b:b + 10])
        if m:
            si = self.a.sentence_index(b + m.end())
            toks = self.a.sentences[si].tokens
            k = next((i for i, t in enumerate(toks) if t.start >= b + m.end()), None)
            if k is not None and toks[k].lemma in self.w.speech_verbs:
                return self.subject(si, k, lambda i: i > k)
        j = a
        while j and self.text[j - 1].isspace():
            j -= 1
        if j and self.text[j - 1] == ":":
            si = self.a.sentence_index(j - 1)
            toks = self.a.sentences[si].tokens
            for k in reversed(range(len(toks))):
                if toks[k].stop < j and toks[k].lemma in self.w.speech_verbs:
                    return self.subject(si, k, lambda i: True)
        return None
