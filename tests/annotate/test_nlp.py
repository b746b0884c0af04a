"""The natasha adapter: records and offsets, and its fast paths (annotate/cnn.py, lemmas) agreeing with natasha."""
import os
import pathlib

import numpy as np
import pytest

from letopis.annotate import cnn, nlp
from letopis.annotate.nlp import Annotator, StageClock

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"

TEXTS = [
    "Президент Казахстана Касым-Жомарт Токаев обратился к ОДКБ.",
    "Жители Шахтинска 5 января вышли на улицы. Полиция задержала 12 человек.",
    "В Министерстве внутренних дел Республики Казахстан сообщили о задержаниях.",
    "«Мы не уйдём», — сказал один из протестующих.\n\nАкиму Алматинской области Амандыку Баталову объявили выговор.",
    "ООН, ОБСЕ и Human Rights Watch призвали власти к сдержанности!!! Т.е. к диалогу…",
]


@pytest.fixture(scope="module")
def annotate():
    return Annotator(parse=True)


@pytest.fixture(scope="module")
def texts():
    """The table above plus the project's example articles (plain text and markdown), when present."""
    found = sorted(p for p in EXAMPLES.glob("*") if p.suffix in (".txt", ".md"))[:6]
    return TEXTS + [p.read_text(encoding="utf-8", errors="replace") for p in found]


@pytest.mark.parametrize("text, expected", [
    ("Президент Казахстана Касым-Жомарт Токаев обратился к ОДКБ.",
     [("Казахстана", "LOC", "Казахстан"), ("Касым-Жомарт Токаев", "PER", "Касым-Жомарт Токаев"), ("ОДКБ", "ORG", "ОДКБ")]),
    ("В Министерстве внутренних дел Республики Казахстан сообщили о задержаниях.",
     [("Министерстве внутренних дел", "ORG", "Министерство внутренних дел"),
      ("Республики Казахстан", "LOC", "Республика Казахстан")]),
    ("Акиму Алматинской области Амандыку Баталову объявили выговор.",
     [("Акиму", "LOC", "Акиму"),                                   # natasha's tag, kept as it is
      ("Алматинской области", "LOC", "Алматинская область"), ("Амандыку Баталову", "PER", "Амандык Баталов")]),
    ("", []),
    ("   \n ", []),
])
def test_nlp_mentions_with_normal_forms(annotate, text, expected):
    assert [(m.text, m.type, m.normal) for m in annotate(text).mentions] == expected


@pytest.mark.parametrize("text, word, lemma, pos, head_word, rel", [
    ("Президент Казахстана Касым-Жомарт Токаев обратился к ОДКБ.", "Президент", "президент", "NOUN", "обратился",
     "nsubj"),
    ("Президент Казахстана Касым-Жомарт Токаев обратился к ОДКБ.", "обратился", "обратиться", "VERB", None, "root"),
    ("Жители Шахтинска 5 января вышли на улицы.", "Жители", "житель", "NOUN", "вышли", "nsubj"),
    ("Жители Шахтинска 5 января вышли на улицы.", "января", "январь", "NOUN", "5", "flat"),
])
def test_nlp_tokens_carry_lemma_and_tree(annotate, text, word, lemma, pos, head_word, rel):
    sent = annotate(text).sentences[0]
    tok = next(t for t in sent.tokens if t.text == word)
    head = sent.head_of(tok)
    assert (tok.lemma, tok.pos, head.text if head else None, tok.rel) == (lemma, pos, head_word, rel)
    assert sent.parsed


def test_nlp_offsets_index_the_text(annotate, texts):
    for text in texts:
        a = annotate(text)
        assert all(text[t.start:t.stop] == t.text for t in a.tokens())
        assert all(s.start <= t.start and t.stop <= s.stop for s in a.sentences for t in s.tokens)
        assert all(text[m.start:m.stop] == m.text for m in a.mentions)
        assert all(a.sentence_at(s.start) is s for s in a.sentences)


def test_nlp_parse_predicate_selects_sentences():
    text = "Полиция задержала 12 человек. Погода была тёплой."
    a = Annotator(parse=lambda sent, lemmas: "задержать" in lemmas)(text)
    assert [s.parsed for s in a.sentences] == [True, False]
    assert all(t.rel is None and t.head == -1 for t in a.sentences[1].tokens)
    assert not any(s.parsed for s in Annotator()(text).sentences)


def test_nlp_overlong_sentence_is_cut_into_sentences_the_parser_can_take(annotate):
    # one razdel "sentence" of 200 000 "[" once made the parser ask for 200 000² floats; a long one is cut into
    # consecutive sentences of at most MAX_SENTENCE tokens, after a comma when there is one, and parsed
    text = "Митинг прошёл в Алматы, " + "а полиция задержала 12 человек, " * 300 + "сообщили в МВД."
    a = annotate(text)
    tokens = [t for s in a.sentences for t in s.tokens]
    assert [t.text for t in tokens] == [t.text for t in nlp._segment(text)[0]]          # every token, once
    assert len(a.sentences) > 1 and all(s.cut and s.parsed for s in a.sentences)
    assert all(len(s.tokens) <= nlp.MAX_SENTENCE for s in a.sentences)
    assert all(text[s.start:s.stop].rstrip().endswith((",", ".")) for s in a.sentences)
    assert [(s.start, s.stop) for s in a.sentences] == sorted((s.start, s.stop) for s in a.sentences)
    assert a.sentences[0].start == 0 and a.sentences[-1].stop == len(text)
    assert all(x.stop == y.start for x, y in zip(a.sentences, a.sentences[1:]))           # they tile the text
    assert all(0 <= t.head < len(s.tokens) or t.rel == "root" for s in a.sentences for t in s.tokens)
    assert not any(s.cut for s in annotate("Полиция задержала 12 человек. Погода была тёплой.").sentences)


def test_nlp_sentence_without_punctuation_is_cut_at_the_limit():
    text = " ".join(["слово"] * (2 * nlp.MAX_SENTENCE + 7))
    assert [len(s.tokens) for s in nlp._segment(text)[1]] == [nlp.MAX_SENTENCE, nlp.MAX_SENTENCE, 7]


def test_nlp_long_text_goes_to_ner_in_passes_between_sentences():
    text = "Токаев прибыл в Алматы. " * 3000                    # 15 000 tokens over a pass of CHUNK_ROWS["ner"]
    tokens, sents = nlp._segment(text)
    passes = nlp._ner_passes(tokens, sents, rows=1000)
    assert [w for p in passes for w in p] == [t.text for t in tokens]
    assert all(len(p) <= 1000 for p in passes) and all(p[0] == "Токаев" for p in passes)
    assert nlp._ner_passes(tokens[:6], sents[:1]) == [[t.text for t in tokens[:6]]]


def test_nlp_batch_equals_single(annotate, texts):
    assert annotate.analyze_many(texts) == [annotate(t) for t in texts]


def test_nlp_taggers_match_natasha(texts):
    """Our forward pass gives natasha's own tags, heads and relations, and its NER spans."""
    m = nlp.models()
    sents = [[t.text for t in s.tokens] for text in texts for s in nlp._segment(text)[1]]
    ours = nlp._run("morph", sents)
    theirs = [["|".join([t.pos, *(f"{k}={v}" for k, v in sorted(t.feats.items()))]) for t in mk.tokens]
              for mk in m.morph.map(sents)]
    assert ours == theirs
    ours = nlp._run("syntax", sents)
    theirs = [([t.head_id for t in mk.tokens], [t.rel for t in mk.tokens]) for mk in m.syntax.map(sents)]
    assert ours == theirs
    spans = [[(m.start, m.stop, m.type) for m in Annotator()(text).mentions] for text in texts]
    assert spans == nlp.bare_ner(texts)


@pytest.mark.parametrize("word, pos, feats", [
    ("того", "PRON", "Animacy=Inan|Case=Gen|Gender=Neut|Number=Sing"),        # parses tied as best: natasha decides
    ("многие", "NOUN", "Animacy=Anim|Case=Nom|Gender=Masc|Number=Plur"),
    ("заре", "NOUN", "Animacy=Inan|Case=Loc|Gender=Fem|Number=Sing"),
    ("возрасти", "VERB", "Aspect=Perf|VerbForm=Inf|Voice=Act"),
    ("Шахтинска", "PROPN", "Animacy=Inan|Case=Gen|Gender=Masc|Number=Sing"),
    ("погибших", "VERB", "Aspect=Perf|Case=Gen|Number=Plur|Tense=Past|VerbForm=Part|Voice=Act"),
    ("Её", "PRON", "Case=Acc|Gender=Fem|Number=Sing|Person=3"),
    ("«", "PUNCT", ""),
    ("2022", "NUM", ""),
    ("😀", "SYM", ""),
])
def test_nlp_lemma_matches_natasha(word, pos, feats):
    parsed = dict(p.split("=", 1) for p in feats.split("|")) if feats else {}
    try:
        expected = nlp.models().vocab.lemmatize(word, pos, parsed).replace("ё", "е")
    except Exception:
        expected = word.lower().replace("ё", "е")
    assert nlp._lemma(word, pos, feats) == expected


@pytest.mark.parametrize("seed", range(6))
def test_cnn_viterbi_matches_slovnet(seed):
    crf = nlp.models().ner.infer.model.head.crf
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 40, size=5)
    emissions = rng.normal(size=(5, lengths.max(), len(crf.transitions.array))).astype(np.float32)
    mask = np.arange(lengths.max()) < lengths[:, None]
    ours = cnn.viterbi(crf.transitions.array, emissions, mask)
    theirs = crf.decode(emissions, mask)
    assert [o.tolist() for o in ours] == [t.tolist() for t in theirs]


def test_cnn_tags_do_not_depend_on_the_pass():
    words = [t.text for t in nlp._segment(TEXTS[1])[1][0].tokens]
    alone = nlp._run("morph", [words])[0]
    packed = nlp._run("morph", [[w for t in TEXTS for w in t.split()], words, ["Да", "."]])[1]
    assert alone == packed


def test_nlp_stage_clock_times_each_stage(texts):
    clock = StageClock()
    Annotator(parse=True, clock=clock).analyze_many(texts[:3])
    assert set(clock.seconds) == {"segment", "morph", "lemmas", "select", "syntax", "ner", "normalise", "adapt"}
    assert all(v >= 0 for v in clock.seconds.values())


def test_cnn_blas_threads_left_to_the_user(monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    assert cnn.limit_blas_threads(1) is False
    monkeypatch.delenv("OPENBLAS_NUM_THREADS")
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert cnn.limit_blas_threads(1) is (os.path.exists("/proc/self/maps") and _openblas_loaded())


def _openblas_loaded() -> bool:
    with open("/proc/self/maps") as maps:
        return any("openblas" in line.lower() for line in maps)
