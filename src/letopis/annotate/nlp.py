"""The natasha adapter: segmentation, morphology, NER and (on demand) syntax, as letopis records.

natasha/slovnet objects never leave this module. Models are loaded once per process (`models()`), and
`Annotator.analyze_many` batches the neural taggers across documents. The syntax parser is the expensive
part, so it runs only on the sentences a `parse` predicate selects (by default: none).
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    stop: int
    text: str
    lemma: str
    pos: str
    feats: str = ""          # "Case=Gen|Number=Plur", sorted
    head: int = -1           # index of the head token in the sentence; -1 for the root or an unparsed sentence
    rel: str | None = None   # dependency relation, None when the sentence was not parsed

    def feat(self, name: str) -> str | None:
        for pair in self.feats.split("|") if self.feats else ():
            key, _, value = pair.partition("=")
            if key == name:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    stop: int
    tokens: tuple[Token, ...]
    parsed: bool = False

    def head_of(self, token: Token) -> Token | None:
        return self.tokens[token.head] if 0 <= token.head < len(self.tokens) else None

    def children(self, index: int) -> list[int]:
        return [i for i, t in enumerate(self.tokens) if t.head == index]


@dataclass(frozen=True, slots=True)
class NerMention:
    start: int
    stop: int
    type: str       # PER, ORG, LOC
    text: str
    normal: str     # natasha's nominative normal form


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the annotators read about one text; offsets index `text`."""

    text: str
    sentences: tuple[Sentence, ...]
    mentions: tuple[NerMention, ...]

    def sentence_index(self, offset: int) -> int:
        starts = [s.start for s in self.sentences]
        return max(bisect.bisect_right(starts, offset) - 1, 0)

    def sentence_at(self, offset: int) -> Sentence | None:
        return self.sentences[self.sentence_index(offset)] if self.sentences else None

    def tokens(self) -> Iterable[Token]:
        for sent in self.sentences:
            yield from sent.tokens


@dataclass(frozen=True, slots=True)
class _Models:
    segmenter: object
    vocab: object
    morph: object
    syntax: object
    ner: object


@functools.cache
def models() -> _Models:
    """Load natasha's models once per process (they ship inside the natasha wheel; nothing is downloaded)."""
    import yargy.morph  # noqa: F401  -- patches pymorphy2 for Python >= 3.11 before natasha imports it
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    emb = NewsEmbedding()
    return _Models(Segmenter(), MorphVocab(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb))


def _feats(feats: dict | None) -> str:
    return "|".join(f"{k}={v}" for k, v in sorted((feats or {}).items()))


ParsePredicate = Callable[[str, Sequence[str]], bool]   # (sentence text, its lemmas) -> parse it?


class Annotator:
    """Runs natasha on texts. `parse` selects sentences for the syntax parser (None: parse none, True: all)."""

    def __init__(self, parse: ParsePredicate | bool | None = None):
        self.parse = parse

    def __call__(self, text: str) -> Analysis:
        return self.analyze_many([text])[0]

    def analyze_many(self, texts: Sequence[str]) -> list[Analysis]:
        from natasha.doc import Doc, DocSpan
        from natasha.norm import normalize, syntax_normalize

        m = models()
        docs = []
        for text in texts:
            doc = Doc(text)
            doc.segment(m.segmenter)
            docs.append(doc)
        sents = [s for d in docs for s in d.sents]
        # morphology for every sentence, batched across documents
        for sent, markup in zip(sents, m.morph.map([[t.text for t in s.tokens] for s in sents])):
            for tok, mt in zip(sent.tokens, markup.tokens):
                tok.pos, tok.feats = mt.pos, mt.feats
                tok.lemma = _lemma(m.vocab, tok.text, mt.pos, _feats(mt.feats))
        # syntax only where asked
        chosen = [s for s in sents if self._wants_parse(s)]
        if chosen:
            for sent, markup in zip(chosen, m.syntax.map([[t.text for t in s.tokens] for s in chosen])):
                for tok, st in zip(sent.tokens, markup.tokens):
                    tok.id, tok.head_id, tok.rel = st.id, st.head_id, st.rel
        parsed = {id(s) for s in chosen}
        # NER over whole texts, batched
        out = []
        nonblank = [d for d in docs if d.text.strip()]
        markups = dict(zip(map(id, nonblank), m.ner.map([d.text for d in nonblank])))
        for doc in docs:
            mentions = []
            markup = markups.get(id(doc))
            if markup is not None:
                doc.spans = [DocSpan(s.start, s.stop, s.type, doc.text[s.start:s.stop]) for s in markup.spans]
                doc.envelop_span_tokens()
                for span in doc.spans:
                    span_parsed = all(t.rel is not None for t in span.tokens)
                    method = syntax_normalize if span.type == "ORG" and span_parsed else normalize
                    try:
                        normal = method(m.vocab, span.tokens)
                    except Exception:  # natasha's normaliser fails on odd token shapes; keep the surface form
                        normal = span.text
                    mentions.append(NerMention(span.start, span.stop, span.type, span.text, normal or span.text))
            out.append(Analysis(doc.text, tuple(_adapt_sent(s, id(s) in parsed) for s in doc.sents), tuple(mentions)))
        return out

    def _wants_parse(self, sent) -> bool:
        if self.parse is None or self.parse is False:
            return False
        if self.parse is True:
            return True
        return bool(self.parse(sent.text, [t.lemma for t in sent.tokens]))


@functools.lru_cache(maxsize=200_000)
def _lemma(vocab, word: str, pos: str, feats: str) -> str:
    parsed = dict(p.split("=", 1) for p in feats.split("|")) if feats else {}
    try:
        return vocab.lemmatize(word, pos, parsed).replace("ё", "е")
    except Exception:  # pymorphy has no parse for some tokens (symbols, emoji)
        return word.lower().replace("ё", "е")


def _adapt_sent(sent, parsed: bool) -> Sentence:
    index = {t.id: i for i, t in enumerate(sent.tokens)} if parsed else {}
    tokens = tuple(
        Token(
            start=t.start, stop=t.stop, text=t.text, lemma=t.lemma or t.text.lower(), pos=t.pos or "X",
            feats=_feats(t.feats), head=index.get(t.head_id, -1) if parsed else -1, rel=t.rel if parsed else None,
        )
        for t in sent.tokens
    )
    return Sentence(sent.start, sent.stop, tokens, parsed)


def bare_ner(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """natasha NER alone, the baseline every benchmark compares against."""
    ner = models().ner
    return [[(s.start, s.stop, s.type) for s in mk.spans] for mk in ner.map(list(texts))]
