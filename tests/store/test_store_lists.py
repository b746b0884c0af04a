"""The store's lists read a page at a time (migration 0009): over a store with more items than a page — dated and
undated, of several types, countries and categories — every list's pages are disjoint, cover the whole list in
its order (the order a full sort gives: dated by date, undated last) and say the same total; the counts kept as
the corpus is written equal the counts of the rows; and a store from before 0009 gets the same tables filled."""
from __future__ import annotations

import json

import pytest

from letopis.corpus.entities import CorpusEntity
from letopis.corpus.ledger import Claim
from letopis.ingest.document import OffsetMap, PartialDate, make_document
from letopis.store.corpus import CorpusTables
from letopis.store.places import PlacesTable
from letopis.store.backend import migrations
from letopis.store.sqlite import Store

import undo_0009

DAYS = ["2023-03-01", "2023-03-01", "2023-03-05", "2023-04", "2023", None, "2023-02-28", "2023-03-05"]
TYPES = ["PROTEST", "ASSAULT", "COERCE"]
PLACES = [{"name": f"Город {i}", "canonical": f"Город {i}", "country": ("KG", "KZ")[i % 2], "lat": 40.0 + i,
           "lon": 70.0 + i, "precision": "town", **({"geonameid": 1000 + i} if i % 2 else {})} for i in range(10)]
PLACES += [{"name": "Ош", "country": "KG"}, None]                             # no coordinates, no place
SPEAKERS = ["Данияр Смагулов", "Улан Бекбоев", None]
N_EVENTS, N_CLAIMS, N_DOCS = 130, 150, 70


def claim(i: int, doc_id: str, event_id: str | None) -> Claim:
    return Claim(id=f"{doc_id}:{i}", doc_id=doc_id, source=f"{doc_id}.txt", index=i,
                 category=("killed", "detained", "injured")[i % 3], low=i, high=i, span=(0, 5), text="погибли",
                 claimant=(None, "МВД", "правозащитники", "МВД")[i % 4],
                 claimant_class=("article", "authorities", "rights-groups", "authorities")[i % 4], claimant_span=None,
                 claimed_on=DAYS[i % len(DAYS)], claimed_on_rule="article", counts_to=None, mention_id=None,
                 link_rule=None, background=i % 5 == 0, event_id=event_id)


def build(store: Store) -> None:
    tables = CorpusTables(store.db)
    with store.transaction():
        docs = []
        for i in range(N_DOCS):
            text = f"Данияр Смагулов заявил {i}: митинг в Шахтинске. Улан Бекбоев сказал, что шахта закрыта."
            d = make_document(f"{i}.txt", "plain", text, text, OffsetMap.identity(len(text)),
                              published=PartialDate.parse(DAYS[i % len(DAYS)]), title=f"Статья {i}")
            store.add_document(d)
            docs.append(d.id)
            statements = [{"span": [0, 25], "speaker": {"name": SPEAKERS[i % 3], "span": [0, 15]} if SPEAKERS[i % 3]
                           else None, "date": DAYS[(i + 1) % len(DAYS)] if i % 4 == 0 else None, "kind": "direct",
                           "verb": "заявить", "speaker_entity": SPEAKERS[i % 3]},
                          {"span": [48, 87], "speaker": {"name": "Улан Бекбоев", "span": [48, 60]}, "date": None,
                           "kind": "reported", "verb": "сказать", "speaker_entity": None}]
            store.put_extraction(d.id, "test", {"id": d.id, "statements": statements[: 1 + i % 2]}, "2024-01-01")
        for i in range(N_EVENTS):
            day = DAYS[i % len(DAYS)]
            summary = {"type": TYPES[i % 3], "date": {"start": day, "end": day, "precision": "day"} if day else None,
                       "country": ("KG", "KZ", None)[i % 3], "location": PLACES[i % len(PLACES)],
                       "actors": ["полиция"] if i % 2 else [], "targets": []}
            tables.put_event(f"ev-{i:04d}", summary, 1 + i % 3, 1)
        for i in range(N_CLAIMS):
            tables.add_claim(claim(i, docs[i % N_DOCS], f"ev-{i % N_EVENTS:04d}" if i % 7 else None))
        for eid, name, type_, place in (("ent-a", "Данияр Смагулов", "PER", None),
                                        ("ent-b", "Улан Бекбоев", "PER", None),
                                        ("ent-c", "Бишкек", "LOC", PLACES[0]), ("ent-d", "МВД", "ORG", None)):
            tables.put_entity(CorpusEntity(eid, type_, name, {name: 1}, [], place), [])
        for k in range(12):                                   # names shared, counts tied: ordered by name, id
            type_ = ("PER", "ORG", "LOC")[k % 3]
            tables.put_entity(CorpusEntity(f"ent-x{k:02d}", type_, f"Имя {k % 5}", {f"Имя {k % 5}": 1}, [],
                                           PLACES[k % 12] if type_ == "LOC" else None), [])
            for doc_id in docs[k:k + k % 4 + 1]:
                tables.link_entity(f"ent-x{k:02d}", doc_id, f"x{k}", f"Имя {k % 5}", 1)
        for i, doc_id in enumerate(docs):
            tables.link_entity("ent-a", doc_id, "e1", "Данияр Смагулов", 1 + i % 2)
            if i % 3 == 0:
                tables.link_entity("ent-a", doc_id, "e2", "Смагулов", 1)     # two local entities, one article
                tables.link_entity("ent-b", doc_id, "e3", "Улан Бекбоев", 2)
            if i % 5 == 0:
                tables.link_entity("ent-c", doc_id, "e4", "Бишкек", 1)
            if i % 11 == 0:
                tables.link_entity("ent-d", doc_id, "e5", "МВД", 3)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("lists") / "lists.db")
    with Store(path) as store:
        build(store)
    return path


@pytest.fixture
def store(synthetic):
    with Store(synthetic) as s:
        yield s


def ids(store: Store, sql: str, args=()) -> list[str]:
    return [r[0] for r in store.db.execute(sql, args)]


def t(store: Store) -> CorpusTables:
    return CorpusTables(store.db)


# (name, the page of the list: (store, limit, offset) → (total, ids), the whole list by a full sort)
LISTS = [
    ("events", lambda s, n, o: _ids(t(s).events_page(limit=n, offset=o)),
     lambda s: ids(s, "SELECT id FROM events ORDER BY date_start IS NULL, date_start, id")),
    ("events of a type", lambda s, n, o: _ids(t(s).events_page("protest", limit=n, offset=o)),
     lambda s: ids(s, "SELECT id FROM events WHERE type='PROTEST' ORDER BY date_start IS NULL, date_start, id")),
    ("events of a country", lambda s, n, o: _ids(t(s).events_page(country="kz", limit=n, offset=o)),
     lambda s: ids(s, "SELECT id FROM events WHERE country='KZ' ORDER BY date_start IS NULL, date_start, id")),
    ("events of a period", lambda s, n, o: _ids(t(s).events_page(since="2023-03", until="2023-03", limit=n,
                                                                 offset=o)),
     lambda s: ids(s, "SELECT id FROM events WHERE date_end >= '2023-03' AND date_start <= '2023-03\uffff'"
                      " ORDER BY date_start IS NULL, date_start, id")),
    ("events by an actor", lambda s, n, o: _ids(t(s).events_page(entity="полиция", limit=n, offset=o)),
     lambda s: ids(s, "SELECT id FROM events WHERE data LIKE '%полиция%' ORDER BY date_start IS NULL, date_start, id")),
    ("located events", lambda s, n, o: _ids(t(s).events_page(limit=n, offset=o, located=True)),
     lambda s: ids(s, "SELECT id FROM events WHERE json_extract(data, '$.location.lat') IS NOT NULL"
                      " ORDER BY date_start IS NULL, date_start, id")),
    ("claims", lambda s, n, o: _ids(t(s).claims_page(limit=n, offset=o)),
     lambda s: ids(s, "SELECT id FROM figure_claims ORDER BY claimed_on IS NULL, claimed_on, id")),
    ("claims of a category", lambda s, n, o: _ids(t(s).claims_page("killed", limit=n, offset=o)),
     lambda s: ids(s, "SELECT id FROM figure_claims WHERE category='killed'"
                      " ORDER BY claimed_on IS NULL, claimed_on, id")),
    ("claims of a claimant class", lambda s, n, o: _ids(t(s).claims_page(claimant="authorities", limit=n, offset=o)),
     lambda s: ids(s, "SELECT id FROM figure_claims WHERE data LIKE '%\"claimant_class\": \"authorities\"%'"
                      " ORDER BY claimed_on IS NULL, claimed_on, id")),
    ("claims about a country", lambda s, n, o: _ids(t(s).claims_page(country="KG", limit=n, offset=o)),
     lambda s: [c for c in ids(s, "SELECT id FROM figure_claims ORDER BY claimed_on IS NULL, claimed_on, id")
                if _claim_country(s, c) == "KG"]),
    ("statements", lambda s, n, o: _ids(_statements(s, limit=n, offset=o)),
     lambda s: ids(s, "SELECT id FROM statements ORDER BY day IS NULL, day, doc_id, idx")),
    ("statements of a speaker", lambda s, n, o: _ids(_statements(s, speaker="БЕКБОЕВ", limit=n, offset=o)),
     lambda s: [r["id"] for r in _all_statements(s) if "бекбоев" in (r["speaker"] or "").lower()]),
    ("statements with words", lambda s, n, o: _ids(_statements(s, q="ШАХТ", limit=n, offset=o)),
     lambda s: [r["id"] for r in _all_statements(s) if "шахт" in r["text"].lower()]),
    ("statements of a period", lambda s, n, o: _ids(_statements(s, since="2023-03-02", until="2023-04", limit=n,
                                                                offset=o)),
     lambda s: [r["id"] for r in _all_statements(s) if r["day"] and "2023-03-02" <= r["day"] <= "2023-04\uffff"]),
    ("documents", lambda s, n, o: _ids(s.documents_page(limit=n, offset=o)),
     lambda s: ids(s, "SELECT id FROM documents ORDER BY published IS NULL, published DESC, id")),
    ("documents of a period", lambda s, n, o: _ids(s.documents_page(since="2023-03", limit=n, offset=o)),
     lambda s: ids(s, "SELECT id FROM documents WHERE published >= '2023-03'"
                      " ORDER BY published IS NULL, published DESC, id")),
    ("an entity's articles", lambda s, n, o: _links(t(s).entity_documents_page("ent-a", n, o)),
     lambda s: ids(s, "SELECT m.doc_id || '/' || m.local_id FROM entity_mentions m JOIN documents d ON d.id = m.doc_id"
                      " WHERE m.entity_id = 'ent-a' ORDER BY d.published IS NULL, d.published, m.doc_id, m.local_id")),
    ("entities", lambda s, n, o: _ids(t(s).entities_page(limit=n, offset=o)),
     lambda s: ids(s, "SELECT e.id FROM corpus_entities e LEFT JOIN entity_mentions m ON m.entity_id = e.id"
                      " GROUP BY e.id ORDER BY COUNT(DISTINCT m.doc_id) DESC, e.name, e.id")),
    ("places", lambda s, n, o: _ids(PlacesTable(s.db).page(limit=n, offset=o)),
     lambda s: [p["id"] for p in PlacesTable(s.db).page(limit=None)[1]]),
]


def _ids(found: tuple[int, list]) -> tuple[int, list[str]]:
    total, items = found
    return total, [i["id"] if isinstance(i, dict) else i.id for i in items]


def _links(found: tuple[int, list[dict]]) -> tuple[int, list[str]]:
    return found[0], [f"{r['doc_id']}/{r['local_id']}" for r in found[1]]


def _statements(s: Store, **kw):
    from letopis.store.statements import StatementsTable
    return StatementsTable(s.db).page(**kw)


def _all_statements(s: Store) -> list[dict]:
    return _statements(s, limit=None)[1]


def _claim_country(s: Store, claim_id: str) -> str | None:
    event_id, doc_id = s.db.execute("SELECT event_id, doc_id FROM figure_claims WHERE id=?", (claim_id,)).fetchone()
    row = s.db.execute("SELECT country FROM events WHERE id=?", (event_id,)).fetchone()
    if row and row[0]:
        return row[0]
    row = s.db.execute("SELECT country FROM event_mentions WHERE doc_id=? AND country IS NOT NULL GROUP BY country"
                       " ORDER BY COUNT(*) DESC, country LIMIT 1", (doc_id,)).fetchone()
    return row[0] if row else None


@pytest.mark.parametrize("name, page, whole", LISTS, ids=[name for name, _, _ in LISTS])
@pytest.mark.parametrize("size", [1, 7, 50])
def test_paging_pages_are_disjoint_and_cover_the_list_in_its_order(store, name, page, whole, size):
    expected = whole(store)
    assert len(expected) > 7, "the list must be longer than a page"
    seen = []
    for offset in range(0, len(expected) + size, size):
        total, items = page(store, size, offset)
        assert total == len(expected)
        assert len(items) == max(0, min(size, total - offset))
        seen += items
    assert seen == expected                                     # disjoint, covering everything, in order
    assert page(store, size, 0) == page(store, size, 0)         # the same page twice
    assert page(store, size, len(expected) + 3) == (len(expected), [])


def test_paging_undated_items_come_last(store):
    total, events = t(store).events_page(limit=None)
    dated = [e for e in events if (e.get("date") or {}).get("start")]
    assert events[:len(dated)] == dated and len(dated) < total
    assert [(e["date"] or {}).get("start") for e in dated] == sorted((e["date"] or {}).get("start") for e in dated)


def test_statements_rows_are_the_extraction_with_its_words(store):
    rows = _all_statements(store)
    assert len(rows) == store.db.execute("SELECT SUM(json_array_length(data, '$.statements')) FROM extractions"
                                         ).fetchone()[0]
    for r in rows:
        doc = store.get_document(r["doc_id"])
        st = store.get_extraction(r["doc_id"])["statements"][r["index"]]
        assert r["text"] == doc.text[st["span"][0]:st["span"][1]] and r["span"] == st["span"]
        assert r["day"] == (st["date"] or r["published"]) and r["id"] == f"{r['doc_id']}:{r['index']}"


def test_statements_replaced_with_their_extraction(tmp_path):
    with Store(tmp_path / "s.db") as s:
        text = "Он заявил: всё хорошо. Она сказала: нет."
        d = make_document("a.txt", "plain", text, text, OffsetMap.identity(len(text)))
        s.add_document(d)
        two = {"statements": [{"span": [0, 22]}, {"span": [23, 40]}]}
        s.put_extraction(d.id, "1", two, "t")
        s.put_extraction(d.id, "2", {"statements": [{"span": [23, 40]}]}, "t")
        assert [r["text"] for r in _all_statements(s)] == ["Она сказала: нет."]
        s.db.execute("PRAGMA foreign_keys=OFF")
        s.put_extraction("doc-none", "1", two, "t")                # no document stored: no statements
        assert _statements(s, doc_id="doc-none")[0] == 0


def kept_and_counted(store: Store) -> list[tuple[str, object, object]]:
    """(what, kept, counted from the rows) for every count the store keeps."""
    db = store.db
    rows = lambda sql: sorted(tuple(r) for r in db.execute(sql))  # noqa: E731
    kept = lambda facet: rows(f"SELECT key, n FROM corpus_counts WHERE facet='{facet}' AND n > 0")  # noqa: E731
    return [
        ("entities", rows("SELECT id, n_documents, n_mentions FROM corpus_entities"),
         rows("SELECT e.id, COUNT(DISTINCT m.doc_id), COALESCE(SUM(m.n_mentions), 0) FROM corpus_entities e"
              " LEFT JOIN entity_mentions m ON m.entity_id = e.id GROUP BY e.id")),
        ("place events", rows("SELECT key, type, n FROM place_events WHERE n > 0"),
         rows("SELECT place_key, type, COUNT(*) FROM events WHERE place_key IS NOT NULL GROUP BY 1, 2")),
        ("event types", kept("event_type"), rows("SELECT type, COUNT(*) FROM events GROUP BY 1")),
        ("event countries", kept("event_country"),
         rows("SELECT country, COUNT(*) FROM events WHERE country IS NOT NULL GROUP BY 1")),
        ("event months", kept("event_month"),
         rows("SELECT COALESCE(substr(date_start, 1, 7), ''), COUNT(*) FROM events"
              " WHERE date_start IS NULL OR length(date_start) >= 7 GROUP BY 1")),
        ("claim categories", kept("claim_category"), rows("SELECT category, COUNT(*) FROM figure_claims GROUP BY 1")),
        ("reported claims", kept("claim_reported"),
         rows("SELECT category, COUNT(*) FROM figure_claims WHERE background=0 GROUP BY 1")),
        ("claimants", kept("claim_claimants"),
         rows("SELECT category, COUNT(DISTINCT COALESCE(claimant, doc_id)) FROM figure_claims WHERE background=0"
              " GROUP BY 1")),
    ]


def test_counts_kept_are_the_counts_of_the_rows(store):
    for what, kept, counted in kept_and_counted(store):
        assert kept == counted and kept, what


def test_counts_follow_relinks_merges_and_forgotten_articles(synthetic, tmp_path):
    path = str(tmp_path / "copy.db")
    with Store(synthetic) as src:
        src.db.execute("VACUUM INTO ?", (path,))
    with Store(path) as store:
        tables = t(store)
        docs = ids(store, "SELECT id FROM documents ORDER BY id")
        with store.transaction():
            tables.link_entity("ent-b", docs[0], "e1", "Улан Бекбоев", 5)       # e1 moves from ent-a to ent-b
            tables.merge_entity("ent-d", "ent-a")
            for doc_id in docs[3:9]:
                tables.forget_document(doc_id)
            tables.orphan_entities()
            tables.put_event("ev-0001", {"type": "AID", "date": None, "location": PLACES[1]}, 2, 1)  # moved
            tables.put_event("ev-0002", {}, 0, 0)                                                   # gone
            tables.add_claim(claim(4, docs[4 % N_DOCS], None))                                      # replaced
        for what, kept, counted in kept_and_counted(store):
            assert kept == counted, what


def snapshot(db) -> dict[str, list]:
    """What migration 0009 fills, table by table, comparable across stores."""
    rows = lambda sql: sorted(tuple(r) for r in db.execute(sql))  # noqa: E731
    return {
        "statements": sorted((*r[:8], json.dumps(json.loads(r[8]), sort_keys=True)) for r in db.execute(
            "SELECT id, doc_id, idx, day, speaker_folded, entity_folded, text, text_folded, data FROM statements")),
        "places": rows("SELECT key, geonameid, name, country, admin1, lat, lon, precision FROM places"),
        "place_events": rows("SELECT key, type, n FROM place_events WHERE n > 0"),
        "corpus_counts": rows("SELECT facet, key, n FROM corpus_counts WHERE n > 0"),
        "claimants": rows("SELECT category, claimant, n FROM claimants WHERE n > 0"),
        "entities": rows("SELECT id, n_documents, n_mentions, place_key FROM corpus_entities"),
        "links": rows("SELECT entity_id, doc_id, local_id, published FROM entity_mentions"),
        "events": rows("SELECT id, place_key FROM events"),
    }


def test_migration_0009_fills_a_store_from_before_it(synthetic, tmp_path):
    path = str(tmp_path / "old.db")
    with Store(synthetic) as s:
        s.db.execute("VACUUM INTO ?", (path,))
        written = snapshot(s.db)
    with Store(path) as s:
        undo_0009.undo(s.db)
        assert s.schema_version() == 8
    with Store(path) as s:                                     # migrated again, from the rows stored
        assert s.schema_version() == migrations()[-1][0]
        assert snapshot(s.db) == written


def test_migration_0010_folds_the_names_the_store_writes(synthetic, tmp_path):
    path = str(tmp_path / "old.db")
    with Store(synthetic) as s:
        s.db.execute("VACUUM INTO ?", (path,))
        written = sorted(tuple(r) for r in s.db.execute("SELECT entity_id, names FROM entity_names"))
    assert any("\n" in names for _, names in written)
    with Store(path) as s:
        undo_0009.undo(s.db, undo_0009.UNDO_0010)
    with Store(path) as s:
        assert sorted(tuple(r) for r in s.db.execute("SELECT entity_id, names FROM entity_names")) == written


@pytest.mark.parametrize("name, expected", [
    ("смагулов", True),            # Cyrillic case folded
    ("СМАГУЛОВ", True),
    ("аким", True),                # a role
    ("Алматы", True),              # the place's canonical name
    ("данияр смагулов", True),     # a whole name
    ("Бекбоев", False),
    ("смагулов\nаким", False),     # never across two names
    ("id", False),                 # not the JSON record's keys
])
def test_entities_name_filter_reads_names_roles_and_place(tmp_path, name, expected):
    with Store(tmp_path / "e.db") as s:
        tables = CorpusTables(s.db)
        with s.transaction():
            tables.put_entity(CorpusEntity("ent-1", "PER", "Данияр Смагулов", {"Данияр Смагулов": 1, "Смагулова": 1},
                                           ["аким Алматы"]), [])
            tables.put_entity(CorpusEntity("ent-2", "LOC", "Алма-Ата", {"Алма-Ате": 1}, [],
                                           {"name": "Алма-Ате", "canonical": "Алматы", "country": "KZ"}), [])
        total, found = tables.entities_page(name=name)
        assert (total > 0) is expected and len(found) == total
