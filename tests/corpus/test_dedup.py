"""Near-duplicate articles and shared background paragraphs: invented Russian articles → flags and duplicates."""
import os
import random

import pytest
from datasketch import MinHash, MinHashLSH

from letopis.corpus import DedupConfig, DedupIndex, DedupIndexError, Duplicate, SharedParagraph
from letopis.corpus.boilerplate import (CHANGED, SHARED, UNIQUE, Marked, group_runs, normalise, paragraphs,
                                        passages, within)
from letopis.corpus.dedup import SqliteMinHashLSH, _agreeing, _fingerprint, _Sketcher
from letopis.errors import UnknownDocument
from letopis.store.sqlite import Store

SEEDS = "/work/shared/seeds"

# One background paragraph, retold with small edits by three articles (the numbers stay the same).
BACKGROUND = [
    "Забастовка на шахте «Северная-2» началась 27 февраля, когда горняки отказались спускаться в забой после "
    "задержки зарплаты. Через несколько дней к ним присоединились работники обогатительной фабрики и водители "
    "карьерных самосвалов. Рабочие требовали повысить зарплату и отправить в отставку руководство компании. "
    "Власти назвали акцию незаконной и пообещали привлечь организаторов к ответственности.",

    "Забастовка на шахте «Северная-2» началась 27 февраля, когда шахтеры отказались спускаться в забой из-за "
    "задержки зарплаты. Спустя несколько дней к ним присоединились работники обогатительной фабрики и водители "
    "карьерных самосвалов. Рабочие требовали поднять зарплату и отправить в отставку руководство компании. "
    "Власти назвали акцию незаконной и пообещали наказать организаторов.",

    "Забастовка на шахте «Северная-2» началась 27 февраля: горняки отказались спускаться в забой после задержки "
    "зарплаты. Через несколько дней к ним присоединились работники обогатительной фабрики, а также водители "
    "карьерных самосвалов. Горняки требовали повысить зарплату и отправить в отставку руководство компании. "
    "Власти назвали акцию незаконной и пообещали привлечь организаторов к ответственности.",
]

NEWS = [
    "Полиция разогнала митинг шахтеров в Шахтинске\n\n"
    "В пятницу утром полиция разогнала митинг у здания администрации Шахтинска. По словам очевидцев, силовики "
    "применили слезоточивый газ и резиновые пули. Задержаны не менее 40 человек, сообщили в областном "
    "департаменте полиции.\n\n"
    "Аким города Ерлан Досов заявил журналистам, что переговоры с бастующими продолжатся в понедельник. "
    "Представители профсоюза ответили, что не доверяют обещаниям властей.",

    "В Шахтинске ввели комендантский час\n\n"
    "С субботы в Шахтинске действует комендантский час с 22:00 до 06:00. На въездах в город выставлены посты "
    "Национальной гвардии, мобильный интернет отключен третий день подряд.\n\n"
    "Жители жалуются на перебои с продуктами в магазинах. Местные предприниматели говорят, что не могут "
    "принимать оплату картами из-за отключения связи.",

    "Министр труда прокомментировала забастовку\n\n"
    "Министр труда Айгерим Сейтова на брифинге в Астане назвала требования горняков частично обоснованными. Она "
    "пообещала, что задолженность по зарплате будет погашена до конца марта.\n\n"
    "По данным министерства, компания задолжала сотрудникам около двух миллиардов тенге. Независимые профсоюзы "
    "называют сумму втрое больше.",
]

ARTICLES = [(f"doc-{i}", NEWS[i] + "\n\nЧто известно о забастовке\n\n" + BACKGROUND[i]) for i in range(3)]

DAM = (
    "Жители Узгена вышли против строительства ГЭС\n\n"
    "В субботу на центральной площади Узгена собрались несколько сотен человек, выступающих против строительства "
    "ГЭС «Кара-Таш» на реке Жазы. Участники акции опасаются, что водохранилище затопит село Бозторгай-Сай и "
    "пастбища вокруг него.\n\n"
    "Организаторы митинга передали представителю районной администрации обращение с требованием провести "
    "общественные слушания. Заместитель акима пообещал, что до слушаний подготовительные работы вестись не будут.\n\n"
    "Министерство энергетики заявило, что проект прошел экологическую экспертизу, а жителям села предложат "
    "компенсацию и новые участки под строительство домов."
)

# the same story under another title, with a byline and a "Читайте также" footer
REPOSTS = [
    "Протест в Узгене: люди против «Кара-Таш»\n\n" + DAM.split("\n\n", 1)[1]
    + "\n\nЧитайте также: В Оше задержали участников акции против ГЭС",
    "Узген против ГЭС\n\nАвтор: редакция регионального отдела\n\n" + DAM.split("\n\n", 1)[1].replace("«", "\"")
    .replace("»", "\"") + "\n\nЧитайте также: Что известно о проекте «Кара-Таш»\n\nПодписывайтесь на наш канал",
]

# other articles about the same dam
SAME_TOPIC = [
    "В Оше задержали противников ГЭС\n\n"
    "В понедельник в Оше полиция задержала шестерых участников пикета против строительства ГЭС «Кара-Таш». "
    "Пикетчики стояли у здания областной администрации с плакатами в защиту села Бозторгай-Сай.\n\n"
    "Правозащитники сообщили, что задержанным не дали позвонить родственникам. В полиции заявили, что акция не "
    "была согласована с мэрией.",
    "Правительство приостановило строительство ГЭС «Кара-Таш»\n\n"
    "Кабинет министров приостановил строительство ГЭС на реке Жазы до завершения общественных слушаний. Решение "
    "объявили после недели протестов в Узгене, Оше и Бишкеке.\n\n"
    "Министр энергетики признал, что жителей Бозторгай-Сая не спросили о проекте заранее.",
]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db") as s:
        yield s


@pytest.fixture
def index(store):
    return DedupIndex(store.db)


def span_of(body, fragment):
    start = body.index(fragment)
    return (start, start + len(fragment))


# -- boilerplate: text side ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Митинги в «Алма-Ате» начались 2 января.", "митинги в алма ате начались 2 января"),
    ("ЁЛКИ   и ёж — «Ещё»", "елки и еж еще"),
    ("  ", ""),
])
def test_boilerplate_normalise(text, expected):
    assert normalise(text) == expected


def test_boilerplate_passages_are_sentences_with_body_offsets():
    body = "Заголовок\n\nПервое предложение здесь стоит целиком из слов. Фото: Reuters.\n \nВторой абзац тоже " \
           "имеет шесть слов и 12 цифр, и 2022 год."
    found = passages(body, min_words=6)
    assert [body[p.span[0]:p.span[1]] for p in found] == [
        "Первое предложение здесь стоит целиком из слов.",
        "Второй абзац тоже имеет шесть слов и 12 цифр, и 2022 год."]
    assert [p.paragraph for p in found] == [1, 2]
    assert [p.numbers for p in found] == ["", "12|2022"]
    assert [body[a:b] for a, b in paragraphs(body)] == [
        "Заголовок", "Первое предложение здесь стоит целиком из слов. Фото: Reuters.",
        "Второй абзац тоже имеет шесть слов и 12 цифр, и 2022 год."]


S, C, U = SHARED, CHANGED, UNIQUE


@pytest.mark.parametrize("states, expected", [
    ([S, S, S], [(0, 2)]),                 # one run
    ([S, U, S], [(0, 2)]),                 # a sentence the copy rewrote is bridged
    ([S, U, U, S, S], [(3, 4)]),           # two are not: the lone shared sentence is too short to count
    ([S, S, C, S, S], [(0, 1), (3, 4)]),   # other numbers end a run
    ([S, U], []),                          # one short shared sentence is not a paragraph
    ([U, U, U], []),
])
def test_boilerplate_group_runs(states, expected):
    items = [Marked(0, (10 * i, 10 * i + 9), 8, state) for i, state in enumerate(states)]
    runs = group_runs(items, max_gap=1, min_passages=2, min_words=20)
    assert [(r.members[0], r.members[-1]) for r in runs] == expected
    assert [r.span for r in runs] == [(10 * a, 10 * b + 9) for a, b in expected]


def test_boilerplate_runs_stop_at_paragraphs_and_long_sentences_count_alone():
    items = [Marked(0, (0, 9), 8, S), Marked(1, (11, 20), 8, S), Marked(2, (22, 90), 25, S)]
    assert [r.span for r in group_runs(items)] == [(22, 90)]


@pytest.mark.parametrize("span, expected", [((5, 9), True), ((0, 10), True), ((9, 12), False), ((30, 31), False)])
def test_boilerplate_within(span, expected):
    assert within(span, [(0, 10), (20, 25)]) is expected


# -- shared background paragraphs ---------------------------------------------------------------------

def test_dedup_background_paragraph_flagged_in_all_three(index):
    results = [index.add(doc_id, body) for doc_id, body in ARTICLES]
    assert [r.affected for r in results] == [(), ("doc-0",), ()]
    for i, (doc_id, body) in enumerate(ARTICLES):
        shared = index.shared(doc_id)
        assert [s.span for s in shared] == [span_of(body, BACKGROUND[i])], doc_id
        assert shared[0].others == tuple(d for d, _ in ARTICLES if d != doc_id)
        assert 0.5 <= shared[0].similarity <= 1.0


@pytest.mark.parametrize("i, fragment, background", [
    (0, "27 февраля", True),
    (1, "27 февраля", True),
    (0, "не менее 40 человек", False),           # a figure of the article's own news
    (1, "с 22:00 до 06:00", False),
    (2, "около двух миллиардов тенге", False),
    (2, "Что известно о забастовке", False),    # a heading is too short to be indexed
])
def test_dedup_is_background(index, i, fragment, background):
    for doc_id, body in ARTICLES:
        index.add(doc_id, body)
    doc_id, body = ARTICLES[i]
    assert index.is_background(doc_id, span_of(body, fragment)) is background


def test_dedup_unique_paragraphs_not_flagged(index):
    for doc_id, body in ARTICLES[:1] + [("dam", DAM)] + [(f"t{i}", t) for i, t in enumerate(SAME_TOPIC)]:
        result = index.add(doc_id, body)
        assert result.shared == () and result.duplicate is None and result.affected == ()


def test_dedup_changed_numbers_are_not_background(index):
    paragraph = ("Авария на ТЭЦ произошла в ночь на 19 марта, после чего без света остались жилые кварталы. "
                 "Ремонтные бригады работали всю ночь, но восстановить подачу тепла удалось не сразу. "
                 "По данным министерства, пострадали 3 человека. "
                 "Мэрия открыла пункты обогрева в школах и спортивных залах города. "
                 "Волонтеры развозили горячую еду пожилым людям в отключенных районах.")
    first = ("В Бишкеке ищут виновных в аварии\n\nПрокуратура возбудила дело о халатности после аварии на ТЭЦ. "
             "Следователи изъяли журналы дежурных смен и документы о закупке запасных частей за последние годы. "
             "Директора станции отстранили от работы до окончания проверки, его заместитель дает показания.\n\n")
    later = ("Энергетики отчитались о ремонте\n\nМинистр энергетики пообещал завершить ремонт котлов к апрелю. "
             "На станцию доставили трубы и насосы из Казахстана, часть оборудования прислали по линии ЕАЭС. "
             "Депутаты потребовали опубликовать смету ремонта и список подрядчиков, получивших контракты.\n\n")
    index.add("first", first + paragraph)
    result = index.add("later", later + paragraph.replace("пострадали 3 человека", "пострадали 5 человек"))
    body = later + paragraph.replace("пострадали 3 человека", "пострадали 5 человек")
    assert result.duplicate is None and result.affected == ("first",)
    assert len(result.shared) == 2                     # the sentence with the new figure splits the paragraph
    assert not index.is_background("later", span_of(body, "пострадали 5 человек"))
    assert index.is_background("later", span_of(body, "пункты обогрева"))
    assert index.is_background("later", span_of(body, "в ночь на 19 марта"))


# -- near-duplicate articles --------------------------------------------------------------------------

@pytest.mark.parametrize("repost", REPOSTS)
def test_dedup_repost_is_duplicate(index, repost):
    index.add("original", DAM)
    result = index.add("repost", repost)
    assert result.duplicate is not None
    assert (result.duplicate.doc_id, result.duplicate.duplicate_of) == ("repost", "original")
    assert result.duplicate.similarity >= 0.5
    assert index.background_spans("repost") == [(0, len(repost))]
    assert index.shared("original") == [] and result.affected == ()   # a repost does not make its source boilerplate


@pytest.mark.parametrize("other", SAME_TOPIC)
def test_dedup_same_topic_article_is_not_duplicate(index, other):
    index.add("original", DAM)
    result = index.add("other", other)
    assert result.duplicate is None and result.shared == ()


def test_dedup_duplicate_of_is_first_seen(index):
    index.add("original", DAM)
    index.add("repost-1", REPOSTS[0])
    assert index.add("repost-2", REPOSTS[1]).duplicate.duplicate_of == "original"


def test_dedup_add_is_idempotent(index, store):
    first = [index.add(doc_id, body) for doc_id, body in ARTICLES]
    rows = store.db.execute("SELECT COUNT(*) FROM dedup_passages").fetchone()[0]
    again = index.add(*ARTICLES[0])
    assert again.affected == () and again.shared == tuple(index.shared("doc-0"))
    assert store.db.execute("SELECT COUNT(*) FROM dedup_passages").fetchone()[0] == rows
    assert "doc-0" in index and "nope" not in index and first[2].shared


# -- persistence --------------------------------------------------------------------------------------

def test_dedup_reopen_keeps_index(tmp_path):
    path = tmp_path / "x.db"
    with Store(path) as s:
        index = DedupIndex(s.db)
        index.add(*ARTICLES[0])
        index.add("original", DAM)
    with Store(path) as s:
        index = DedupIndex(s.db)
        result = index.add(*ARTICLES[1])
        assert result.affected == ("doc-0",)
        assert [sp.others for sp in result.shared] == [("doc-0",)]
        assert index.add("repost", REPOSTS[0]).duplicate.duplicate_of == "original"


def test_dedup_other_parameters_refuse_to_write(store):
    DedupIndex(store.db).add(*ARTICLES[0])
    other = DedupIndex(store.db, DedupConfig(passage_threshold=0.6))
    with pytest.raises(DedupIndexError, match="rebuild"):
        other.add(*ARTICLES[1])
    assert other.shared("doc-0") == []                 # reads still work
    other.clear()
    assert "doc-0" not in other and other.add(*ARTICLES[1]).shared == ()


def test_dedup_needs_migrated_database():
    import sqlite3
    with pytest.raises(DedupIndexError, match="Store"):
        DedupIndex(sqlite3.connect(":memory:"))


def test_dedup_unknown_document(index):
    with pytest.raises(UnknownDocument):
        index.shared("doc-missing")


@pytest.mark.parametrize("record", [
    Duplicate("doc-b", "doc-a", 0.83),
    SharedParagraph("doc-c", (120, 480), ("doc-a", "doc-b"), 0.74),
])
def test_dedup_records_json_round_trip(record):
    assert type(record).from_json(record.to_json()) == record


def test_dedup_sqlite_lsh_answers_like_datasketch_in_memory(store):
    rng = random.Random(7)
    universe = [f"w{i}".encode() for i in range(400)]
    sets = [set(rng.sample(universe, 40)) for _ in range(60)]
    sets += [s | {b"extra"} for s in sets[:20]]          # near-duplicates of the first 20
    sketches = []
    for s in sets:
        m = MinHash(num_perm=64)
        m.update_batch(list(s))
        sketches.append(m)
    memory = MinHashLSH(num_perm=64, params=(16, 4))
    sql = SqliteMinHashLSH(store.db, 1, 64, (16, 4))
    for key, m in enumerate(sketches):
        memory.insert(key, m)
        sql.insert(key, m, check_duplication=False)
    for m in sketches:
        assert sorted(sql.query(m)) == sorted(memory.query(m))
    sql.remove(3)
    memory.remove(3)
    assert 3 not in sql.keys and sorted(sql.query(sketches[3])) == sorted(memory.query(sketches[3]))



def test_dedup_fingerprints_agree_wherever_signatures_are_equal():
    rng = random.Random(3)
    sketch = _Sketcher(64, seed=1)
    words = [f"слово{i}".encode() for i in range(300)]
    sketches = [sketch(set(rng.sample(words, rng.randint(5, 60)))) for _ in range(80)]
    for a in sketches[:20]:
        for b in sketches:
            equal = int((a.hashvalues == b.hashvalues).sum())
            assert equal <= _agreeing(_fingerprint(a.hashvalues), _fingerprint(b.hashvalues), 64) <= 64
        assert _agreeing(_fingerprint(a.hashvalues), _fingerprint(a.hashvalues), 64) == 64


@pytest.mark.parametrize("need", [32, 40, 48])     # 32: a share of 0.5, the passage threshold
def test_dedup_candidates_keep_every_key_that_can_reach_the_threshold(store, need):
    """The fingerprint drops only keys whose signature is equal at fewer than `need` places, and most of the rest."""
    rng = random.Random(need)
    sketch = _Sketcher(64, seed=1)
    universe = [f"w{i}".encode() for i in range(120)]
    base = [set(rng.sample(universe, 12)) for _ in range(60)]     # small sets of few words: chance collisions
    sets = [*base, *({*rng.sample(sorted(s), rng.randint(6, 12)), *rng.sample(universe, rng.randint(0, 6))}
                     for s in base for _ in range(2))]
    sketches = [sketch(x) for x in sets]
    lsh = SqliteMinHashLSH(store.db, 1, 64, (21, 3), fingerprints=True)
    for key, m in enumerate(sketches):
        lsh.insert(key, m, check_duplication=False)
    kept = dropped = 0
    for m in sketches:
        found, cands = lsh.query(m), set(lsh.candidates(m, need))
        assert cands <= set(found)
        for key in found:
            if int((sketches[key].hashvalues == m.hashvalues).sum()) >= need:
                assert key in cands
            kept += key in cands
            dropped += key not in cands
    assert dropped > 0 and kept > 0


@pytest.mark.parametrize("num_perm", [64, 128])
def test_dedup_similarities_equal_minhash_jaccard(num_perm):
    sketch = _Sketcher(num_perm, seed=1)
    rng = random.Random(num_perm)
    words = [f"слово{i}".encode() for i in range(60)]
    sets = [set(rng.sample(words, rng.randint(1, 40))) for _ in range(30)]
    m = sketch(sets[0])
    stored = [sketch(x) for x in sets]
    blobs = [x.hashvalues.astype("<u4").tobytes() for x in stored]
    assert sketch.similarities(m, blobs) == [m.jaccard(x) for x in stored]
    assert sketch.similarities(m, []) == []


@pytest.mark.parametrize("cluster,others", [(3, 2), (60, 50)])
def test_dedup_others_of_a_shared_paragraph_are_the_first_seen(store, cluster, others):
    """However large the cluster, a shared paragraph lists its first `max_others` other documents, first seen first."""
    index = DedupIndex(store.db, DedupConfig(max_others=50))
    block = ("Редакция продолжает следить за развитием событий и будет обновлять материал по мере поступления "
             "новых сведений. Если вы были свидетелем происходящего, расскажите об этом нашим корреспондентам.")
    ids = [f"doc-{i:03d}" for i in range(cluster)]
    rng = random.Random(cluster)
    for doc_id in ids:     # a news paragraph of its own (other words), then the outlet's stock paragraph
        news = " ".join("".join(rng.choice("абвгдежзиклмнопрстуф") for _ in range(7)) for _ in range(40))
        index.add(doc_id, f"{news}.\n\n{block}")
    last = index.shared(ids[-1])
    assert len(last) == 1 and last[0].others == tuple(ids[:others])
    first = index.shared(ids[0])
    assert first[0].others == tuple(ids[1:others + 1])


# -- the seeds ----------------------------------------------------------------------------------------

@pytest.mark.skipif(not os.path.isdir(SEEDS), reason="no /work/shared/seeds here")
def test_dedup_seeds_background_flagged_in_001_003_004(index):
    from letopis.ingest import Document, read_inputs
    docs = {os.path.basename(d.source)[:3]: d for d in read_inputs([SEEDS]) if isinstance(d, Document)}
    assert sorted(docs) == ["000", "001", "002", "003", "004"]
    for name in sorted(docs):
        index.add_document(docs[name])
    flagged = {name: index.shared(d.id) for name, d in docs.items()}
    assert [name for name in sorted(flagged) if flagged[name]] == ["001", "003", "004"]

    def sentences(name):   # normalised sentences inside the flagged spans
        body = docs[name].body
        return {p.text for p in passages(body) if within(p.span, [s.span for s in flagged[name]])}

    # the background sentences 003 and 004 copied from 001 are flagged on both sides
    for a, b in [("001", "003"), ("001", "004")]:
        assert sentences(a) & sentences(b), (a, b)
    assert docs["001"].id in {o for s in flagged["003"] for o in s.others}
    assert docs["001"].id in {o for s in flagged["004"] for o in s.others}
