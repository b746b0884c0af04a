"""The natasha adapter: segmentation, morphology, NER and (on demand) syntax, as letopis records.

natasha/slovnet objects never leave this module. Models are loaded once per process (`models()`), and
`Annotator.analyze_many` batches the neural taggers across documents. The syntax parser is the expensive
part, so it runs only on the sentences a `parse` predicate selects (by default: none).

Speed (bench/throughput.py, bench/profile_stages.py): each text is tokenised once (razdel, as natasha and slovnet
do) and the same tokens feed the morphology tagger, the parser and the NER tagger, which run natasha's weights
through a leaner forward pass (annotate/cnn.py) giving the same tags; lemmas come from pymorphy2 without its
probability estimate unless parses tie (the same lemmas, see `_lemma`); word encodings, lemmas and normal forms
are cached per process in bounded caches, so memory stays flat over a long run.
"""
from __future__ import annotations

import bisect
import contextlib
import functools
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

Span = tuple[int, int]

# tokens per pass of a tagger (annotate/cnn.py packs sentences or texts end to end). Long passes share more words
# (morph); the parser scores every token pair of a sentence padded to the longest of its pass, so it prefers short
# passes of sentences of like length; NER takes whole texts in one pass, as its CRF steps through the longest one.
CHUNK_ROWS = {"morph": 8192, "syntax": 1024, "ner": 16384}

# Bounds on what reaches the taggers, so that any text is annotated in memory and time linear in its length. A
# razdel sentence of more than MAX_SENTENCE tokens (a line of 200 000 "[", a list without a full stop) is cut into
# sentences of at most that many tokens, preferably after a punctuation mark, each marked `cut`; the parser scores
# every token pair of a sentence, so it never sees more than MAX_SENTENCE² of them. The longest sentence of the
# examples and seeds has 43 tokens. NER reads a text in passes of at most CHUNK_ROWS["ner"] tokens, cut between
# sentences (a shorter text is one pass, as in natasha).
MAX_SENTENCE = 512
_CUT_AFTER = frozenset(",;:—–-)»\"…")


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
    cut: bool = False       # a piece of a razdel sentence longer than MAX_SENTENCE tokens

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
    _starts: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_starts", tuple(s.start for s in self.sentences))

    def sentence_index(self, offset: int) -> int:
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def sentence_at(self, offset: int) -> Sentence | None:
        return self.sentences[self.sentence_index(offset)] if self.sentences else None

    def tokens(self) -> Iterable[Token]:
        for sent in self.sentences:
            yield from sent.tokens


# --- stage timing (for bench/profile_stages.py) -------------------------------------------------------------

class StageClock:
    """Adds up time per stage name: `with clock("morph"): ...`; `seconds` maps stage → seconds.
    `timer` is wall time by default; `time.process_time` gives CPU time, steadier on a shared machine."""

    def __init__(self, timer: Callable[[], float] = time.perf_counter):
        self.seconds: dict[str, float] = {}
        self.timer = timer

    @contextlib.contextmanager
    def __call__(self, stage: str):
        t = self.timer()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + self.timer() - t


class _NoClock:
    def __call__(self, stage: str):
        return contextlib.nullcontext()


# --- models ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Models:
    segmenter: object
    vocab: object
    morph: object
    syntax: object
    ner: object


@functools.cache
def models() -> _Models:
    """Load natasha's models once per process (they ship inside the natasha wheel; nothing is downloaded).
    numpy's BLAS is limited to one thread here (see `cnn.limit_blas_threads`; OPENBLAS_NUM_THREADS overrides)."""
    import yargy.morph  # noqa: F401  -- patches pymorphy2 for Python >= 3.11 before natasha imports it
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    from .cnn import limit_blas_threads

    limit_blas_threads(1)
    emb = NewsEmbedding()
    return _Models(Segmenter(), MorphVocab(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb))


@functools.cache
def _encoder(model: str) -> Callable[[str], tuple[int, int]]:
    """word → (word id, shape id) for one slovnet model, cached (slovnet encodes every token of every pass)."""
    from slovnet.shape import word_shape

    encoder = getattr(models(), model).infer.encoder
    words, shapes = encoder.words_vocab, encoder.shapes_vocab

    @functools.lru_cache(maxsize=1 << 16)
    def encode(word: str) -> tuple[int, int]:
        return words.encode(word.lower()), shapes.encode(word_shape(word))

    return encode


@functools.cache
def _tagger(model: str):
    """Our forward pass (annotate/cnn.py) over the weights of one of natasha's slovnet models."""
    from .cnn import Tagger

    return Tagger(model, getattr(models(), model).infer, CHUNK_ROWS[model])


def _run(model: str, items: Sequence[Sequence[str]]) -> list:
    """Predictions of `model` (morph, syntax, ner) for word lists, aligned with `items`: a tag per word, or for
    syntax (head ids, relations). The items go through the tagger sorted by length."""
    encode = _encoder(model)
    order = sorted((i for i in range(len(items)) if items[i]), key=lambda i: len(items[i]))
    coded = []
    for i in order:
        pairs = [encode(w) for w in items[i]]
        coded.append(([p[0] for p in pairs], [p[1] for p in pairs]))
    out: list = [([], []) if model == "syntax" else [] for _ in items]
    for i, pred in zip(order, _tagger(model)(coded)):
        out[i] = pred
    return out


# --- working records (mutable, private; natasha's normaliser reads text/start/stop/pos/feats/id/head_id) ------

class _Tok:
    __slots__ = ("start", "stop", "text", "pos", "feats", "feats_str", "lemma", "id", "head_id", "rel")

    def __init__(self, start: int, stop: int, text: str):
        self.start, self.stop, self.text = start, stop, text
        self.pos, self.feats, self.feats_str, self.lemma = None, None, "", None
        self.id, self.head_id, self.rel = None, None, None


class _Sent:
    __slots__ = ("start", "stop", "text", "tokens", "parsed", "cut")

    def __init__(self, start: int, stop: int, text: str, tokens: list[_Tok], cut: bool = False):
        self.start, self.stop, self.text, self.tokens, self.parsed, self.cut = start, stop, text, tokens, False, cut


def _segment(text: str) -> tuple[list[_Tok], list[_Sent]]:
    """razdel tokens of the whole text, and its sentences holding them (natasha's `Doc.segment`), none longer than
    MAX_SENTENCE tokens (`_cut`)."""
    from razdel import sentenize, tokenize

    tokens = [_Tok(start, stop, word) for start, stop, word in tokenize(text)]
    sents, index = [], 0
    for start, stop, sent_text in (sentenize(text) if text else ()):
        chunk = []
        while index < len(tokens):     # natasha's envelop_spans: a linear merge of tokens into sentences
            tok = tokens[index]
            index += 1
            if tok.start < start:
                continue
            if tok.stop <= stop:
                chunk.append(tok)
            else:
                index -= 1
                break
        if len(chunk) > MAX_SENTENCE:
            sents.extend(_cut(text, start, stop, chunk))
        else:
            sents.append(_Sent(start, stop, sent_text, chunk))
    return tokens, sents


def _cut(text: str, start: int, stop: int, tokens: list[_Tok], limit: int = MAX_SENTENCE) -> list[_Sent]:
    """An overlong sentence as consecutive sentences of at most `limit` tokens, each ending after the last
    punctuation mark of its second half when there is one. Together they cover [start, stop) of the text."""
    pieces, i = [], 0
    while i < len(tokens):
        j = min(i + limit, len(tokens))
        if j < len(tokens):
            j = next((k + 1 for k in range(j - 1, i + limit // 2 - 1, -1) if tokens[k].text in _CUT_AFTER), j)
        pieces.append(tokens[i:j])
        i = j
    out = []
    for n, piece in enumerate(pieces):
        a = start if n == 0 else piece[0].start
        b = stop if n == len(pieces) - 1 else pieces[n + 1][0].start
        out.append(_Sent(a, b, text[a:b], piece, cut=True))
    return out


@functools.lru_cache(maxsize=1024)
def _tag(tag: str) -> tuple[str, str, dict]:
    """A slovnet morphology tag 'NOUN|Case=Gen|Number=Plur' → (pos, sorted feats string, feats dict)."""
    pos, _, feats = tag.partition("|")
    return pos, feats, dict(p.split("=", 1) for p in feats.split("|")) if feats else {}


ParsePredicate = Callable[[str, Sequence[str]], bool]   # (sentence text, its lemmas) -> parse it?


class Annotator:
    """Runs natasha on texts. `parse` selects sentences for the syntax parser (None: parse none, True: all).
    `clock` (a `StageClock`) receives the time of each stage: segment, morph, lemmas, select, syntax, ner,
    normalise, adapt."""

    def __init__(self, parse: ParsePredicate | bool | None = None, clock: StageClock | None = None):
        self.parse = parse
        self.clock = clock

    def __call__(self, text: str) -> Analysis:
        return self.analyze_many([text])[0]

    def analyze_many(self, texts: Sequence[str]) -> list[Analysis]:
        clock = self.clock or _NoClock()
        with clock("segment"):
            docs = [_segment(text) for text in texts]
            sents = [s for _, doc_sents in docs for s in doc_sents]
        with clock("morph"):                                 # every sentence, batched across documents
            for sent, tags in zip(sents, _run("morph", [[t.text for t in s.tokens] for s in sents])):
                for tok, tag in zip(sent.tokens, tags):
                    tok.pos, tok.feats_str, tok.feats = _tag(tag)
        with clock("lemmas"):
            for sent in sents:
                for tok in sent.tokens:
                    tok.lemma = _lemma(tok.text, tok.pos, tok.feats_str)
        with clock("select"):                                # the parse predicate
            chosen = [s for s in sents if self._wants_parse(s)]
        with clock("syntax"):                                # only where asked
            preds = _run("syntax", [[t.text for t in s.tokens] for s in chosen])
            for number, (sent, (head_ids, rels)) in enumerate(zip(chosen, preds)):
                sent.parsed = True
                for i, (tok, head, rel) in enumerate(zip(sent.tokens, head_ids, rels)):
                    tok.id, tok.head_id, tok.rel = (number, i), (number, int(head) - 1), rel
        with clock("ner"):                                   # whole texts (or passes of long ones), batched
            nonblank = [i for i, text in enumerate(texts) if text.strip()]
            passes = [(i, words) for i in nonblank for words in _ner_passes(*docs[i])]
            tags: dict[int, list[str]] = {}
            for (i, _), pred in zip(passes, _run("ner", [words for _, words in passes])):
                tags.setdefault(i, []).extend(pred)
        out = []
        for i, (text, (tokens, doc_sents)) in enumerate(zip(texts, docs)):
            with clock("normalise"):
                mentions = _mentions(text, tokens, tags[i]) if i in tags else ()
            with clock("adapt"):
                out.append(Analysis(text, tuple(_adapt_sent(s) for s in doc_sents), tuple(mentions)))
        return out

    def _wants_parse(self, sent: _Sent) -> bool:
        if self.parse is None or self.parse is False:
            return False
        if self.parse is True:
            return True
        return bool(self.parse(sent.text, [t.lemma for t in sent.tokens]))


def _ner_passes(tokens: list[_Tok], sents: list[_Sent], rows: int = CHUNK_ROWS["ner"]) -> list[list[str]]:
    """The words of a text for NER: one pass, or for a text of more than `rows` tokens passes of at most `rows`
    cut between sentences (each at most MAX_SENTENCE tokens). Together they are every token, in order."""
    if len(tokens) <= rows:
        return [[t.text for t in tokens]]
    cuts, pos = [0], 0
    for sent in sents:                     # sentences hold consecutive runs of the tokens, in order
        if not sent.tokens:
            continue
        pos = tokens.index(sent.tokens[0], pos)
        if pos + len(sent.tokens) - cuts[-1] > rows and pos > cuts[-1]:
            cuts.append(pos)
    cuts.append(len(tokens))
    return [[t.text for t in tokens[a:b]] for a, b in zip(cuts, cuts[1:]) if b > a]


def _mentions(text: str, tokens: list[_Tok], tags: Sequence[str]) -> list[NerMention]:
    """NER spans from BIO tags over `tokens`, each with natasha's normal form (ORG by its syntax when parsed)."""
    from slovnet.bio import bio_spans

    starts = [t.start for t in tokens]
    out = []
    for span in bio_spans(tokens, tags):
        lo = bisect.bisect_left(starts, span.start)
        inside = [t for t in tokens[lo:bisect.bisect_right(starts, span.stop)] if t.stop <= span.stop]
        surface = text[span.start:span.stop]
        by_syntax = span.type == "ORG" and all(t.rel is not None for t in inside)
        ids = {t.id: i for i, t in enumerate(inside)} if by_syntax else {}
        key = tuple((t.text, t.pos, t.feats_str, t.start - span.start, t.stop - span.start, ids.get(t.head_id, -1))
                    for t in inside)
        out.append(NerMention(span.start, span.stop, span.type, surface, _normal(by_syntax, key) or surface))
    return out


@functools.lru_cache(maxsize=1 << 14)
def _normal(by_syntax: bool, key: tuple) -> str | None:
    """natasha's normal form of a span given as (text, pos, feats, start, stop, head index in the span) per token."""
    from natasha.norm import normalize, syntax_normalize

    tokens = []
    for i, (word, pos, feats, start, stop, head) in enumerate(key):
        tok = _Tok(start, stop, word)
        tok.pos, tok.feats, tok.id, tok.head_id = pos, _tag(f"{pos}|{feats}")[2] if pos else None, i, head
        tokens.append(tok)
    try:
        return (syntax_normalize if by_syntax else normalize)(models().vocab, tokens)
    except Exception:  # natasha's normaliser fails on odd token shapes; the caller keeps the surface form
        return None


@functools.lru_cache(maxsize=1 << 18)
def _lemma(word: str, pos: str | None, feats: str) -> str:
    """natasha's `MorphVocab.lemmatize` (lower case, ё → е). pymorphy2's P(tag|word) estimate only orders the parses,
    and natasha's choice depends on the order only among parses tied as best; so the parses come from an analyzer
    without the estimate (about twice as fast on a new word) and natasha's own vocab is asked only on such a tie."""
    from natasha.morph.lemma import grams_sim, normal_word

    parsed = dict(p.split("=", 1) for p in feats.split("|")) if feats else {}
    lower = normal_word(word)
    try:
        forms = _plain_vocab()(lower)
        best = {f.normal for f in forms if f.pos == pos and f.feats == parsed}     # natasha's exact match
        if not best:
            sims = [grams_sim(f.pos, f.feats, pos, parsed) for f in forms]
            top = max(sims, default=0)
            best = {f.normal for f, sim in zip(forms, sims) if sim == top} if top > 0 else set()
        if len(best) > 1:
            return models().vocab.lemmatize(word, pos, parsed).replace("ё", "е")
        return normal_word(best.pop()) if best else lower
    except Exception:  # pymorphy has no parse for some tokens (symbols, emoji)
        return lower


@functools.cache
def _plain_vocab():
    """natasha's MorphVocab (pymorphy2 with UD grammemes) without the P(tag|word) estimator."""
    from natasha.morph.vocab import MorphForm, MorphVocab
    from pymorphy2 import MorphAnalyzer

    models()                       # yargy's pymorphy2 patch comes first

    class PlainVocab(MorphVocab):
        def __init__(self):
            MorphAnalyzer.__init__(self, result_type=MorphForm, probability_estimator_cls=None)

    return PlainVocab()


def _adapt_sent(sent: _Sent) -> Sentence:
    parsed = sent.parsed
    tokens = tuple(
        Token(t.start, t.stop, t.text, t.lemma or t.text.lower(), t.pos or "X", t.feats_str,
              t.head_id[1] if parsed else -1, t.rel if parsed else None)
        for t in sent.tokens
    )
    return Sentence(sent.start, sent.stop, tokens, parsed, sent.cut)


def clear_caches() -> None:
    """Empty this module's per-process caches (lemmas, normal forms, pymorphy2 parses, word encodings), e.g. to
    measure a first batch; they are bounded, so a long run never needs this."""
    _lemma.cache_clear()
    _normal.cache_clear()
    if models.cache_info().currsize:
        type(models().vocab).parse.cache_clear()
        for model in ("morph", "syntax", "ner"):
            _encoder(model).cache_clear()


def bare_ner(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """natasha NER alone, the baseline every benchmark compares against."""
    ner = models().ner
    return [[(s.start, s.stop, s.type) for s in mk.spans] for mk in ner.map(list(texts))]
