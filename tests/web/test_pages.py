"""The HTML pages over the example store: each renders, unknown ids answer 404, article text is escaped (a script
payload ingested through an article never reaches a page as markup), no page carries inline script or style,
and the language switch works. Fixtures (`web_db`, `client`) come from conftest.py."""
from __future__ import annotations

import json
import re
import sqlite3
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from letopis import api
from letopis.web import create_app

PAYLOAD_TITLE = "Протест в Шахтинске <script>window.__pwned=1</script>"
PAYLOAD_TEXT = (
    f"{PAYLOAD_TITLE}\n\n"
    "5 марта 2023 года в Шахтинске полиция задержала 12 человек <script>window.__pwned=1</script>, сообщили в МВД "
    "Казахстана.\nПо данным правозащитников <img src=x onerror=\"window.__pwned=2\">, погибли не менее 5 человек.\n"
    "«Мы не уйдем <b onmouseover=\"window.__pwned=3\">отсюда</b>», — заявил лидер стачкома Ерлан Жумабаев 5 марта.\n"
)


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text inside <script> elements."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_text.append(data)


def tags_of(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def ids(db: str, sql: str) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute(sql)]
    finally:
        con.close()


LIST_PAGES = ["/", "/search", "/search?q=погибших", "/search?q=погибших&kind=event", "/timeline",
              "/timeline?type=PROTEST&country=KZ&since=2023-03-01&until=2023-03-31", "/timeline?type=bogus&since=x",
              "/map", "/figures", "/figures?category=killed&country=KZ", "/figures?category=nonsense",
              "/documents", "/documents?offset=20", "/entities", "/entities?type=PER&name=Бек"]


@pytest.mark.parametrize("path", LIST_PAGES)
def test_pages_list_pages_render(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="ru">' in r.text and "<h1" in r.text


def test_pages_every_event_document_and_entity_renders(client, web_db):
    paths = [f"/events/{i}" for i in ids(web_db, "SELECT id FROM events")]
    paths += [f"/documents/{i}" for i in ids(web_db, "SELECT id FROM documents")]
    paths += [f"/entities/{i}" for i in ids(web_db, "SELECT id FROM corpus_entities ORDER BY id LIMIT 40")]
    assert len(paths) > 60
    bad = [(p, r.status_code) for p in paths if (r := client.get(p)).status_code != 200]
    assert not bad


@pytest.mark.parametrize("path", ["/events/ev-0000000000000000", "/entities/ent-nope", "/documents/doc-nope",
                                  "/documents/zzz"])
def test_pages_unknown_ids_answer_404(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Не найдено" in r.text


def test_pages_event_shows_sources_highlighted_and_claims(client, web_db):
    # the event with the most claims: its page quotes each source sentence and lays the claims side by side
    event_id = ids(web_db, "SELECT event_id FROM figure_claims WHERE event_id IS NOT NULL "
                           "GROUP BY event_id ORDER BY COUNT(*) DESC LIMIT 1")[0]
    html = client.get(f"/events/{event_id}").text
    tags = tags_of(html)
    classes = [a.get("class", "") for _, a in tags.tags]
    assert any("mk-ev" in c for c in classes)                   # the source sentence
    assert any("mk-fig" in c for c in classes)                  # the figure inside it
    assert any(t == "svg" and "chart" in a.get("class", "") for t, a in tags.tags)
    assert "claims-table" in html


def test_pages_document_marks_every_layer(client, web_db):
    doc_id = ids(web_db, "SELECT doc_id FROM figure_claims GROUP BY doc_id ORDER BY COUNT(*) DESC LIMIT 1")[0]
    html = client.get(f"/documents/{doc_id}").text
    for layer in ("mk-ev", "mk-st", "mk-fig", "mk-ent"):
        assert f'class="{layer}' in html or f" {layer}" in html, layer
    # a search hit's span (text offsets, here a figure's) is marked and anchored
    span = json.loads(ids(web_db, f"SELECT data FROM figure_claims WHERE doc_id='{doc_id}' LIMIT 1")[0])["span"]
    html = client.get(f"/documents/{doc_id}?hl={span[0]}-{span[1]}").text
    assert 'id="hit"' in html


def test_pages_figures_compare_claimants_by_day(client):
    html = client.get("/figures?category=killed&country=KZ").text
    tags = tags_of(html)
    assert sum(1 for t, a in tags.tags if t == "g" and "series" in a.get("class", "")) >= 2
    assert 'class="data pivot"' in html
    selected = [a.get("value") for t, a in tags.tags if t == "option" and "selected" in a]
    assert "killed" in selected and "KZ" in selected


def test_pages_map_data_is_points_with_links(client):
    data = client.get("/map/events.json").json()
    assert data["events"]
    for ev in data["events"]:
        assert isinstance(ev["lat"], float) and isinstance(ev["lon"], float)
        assert ev["url"] == f"/events/{ev['id']}"


@pytest.mark.parametrize("path", ["/", "/search?q=погибших", "/timeline", "/map", "/figures", "/documents",
                                  "/entities"])
def test_pages_carry_no_inline_script_or_style(client, path):
    tags = tags_of(client.get(path).text)
    assert not tags.script_text
    for tag, attrs in tags.tags:
        assert tag != "style"
        assert "style" not in attrs, (tag, attrs)
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/")
        if tag in ("link", "img") and (src := attrs.get("href") or attrs.get("src")):
            assert src.startswith("/"), src                       # every asset from this server


@pytest.fixture(scope="module")
def payload_client(web_db, tmp_path_factory):
    """The example store plus one article whose title and text carry script payloads."""
    folder = tmp_path_factory.mktemp("payload")
    db = folder / "payload.db"
    src, dst = sqlite3.connect(web_db), sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    article = folder / "in" / "payload.txt"
    article.parent.mkdir()
    article.write_text(PAYLOAD_TEXT, encoding="utf-8")
    report = api.ingest([str(article)], db=str(db))
    assert report.new == 1
    with TestClient(create_app(str(db))) as c:
        yield c, ids(str(db), "SELECT id FROM documents WHERE source LIKE '%payload.txt'")[0]


def test_pages_escape_script_payloads_from_articles(payload_client):
    client, doc_id = payload_client
    event_ids = ids_from(client, f"/documents/{doc_id}", "/events/")
    pages = [f"/documents/{doc_id}", "/documents", "/search?q=Шахтинске", "/timeline", "/figures?category=detained",
             *event_ids]
    seen_payload = False
    for path in pages:
        html = client.get(path).text
        tags = tags_of(html)
        assert not tags.script_text, path
        assert not any(t == "img" for t, _ in tags.tags), path
        assert not any(k.startswith("on") for _, a in tags.tags for k in a), path
        seen_payload |= "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert seen_payload                                          # the text is there, as text


@pytest.mark.parametrize("q,kind", [("погибших", None), ("погибли", "event"), ("погиб", "figure")])
def test_pages_search_finds_every_form_and_marks_it(payload_client, q, kind):
    client, _ = payload_client
    html = client.get("/search", params={"q": q, "kind": kind or ""}).text
    tags = tags_of(html)
    hits = [a for t, a in tags.tags if t == "li" and "hit" in a.get("class", "").split()]
    assert hits, q
    if kind:
        assert all(f"kind-{kind}" in a["class"] for a in hits)
    assert html.count('class="mk-hit"') >= len(hits)
    # each hit links to an event, or into its article with the match marked
    links = [a["href"] for t, a in tags.tags if t == "a" and "hit-title" in a.get("class", "")]
    assert links and all(h.startswith(("/events/ev-", "/documents/doc-")) for h in links)
    assert client.get(links[0]).status_code == 200


def ids_from(client, path: str, prefix: str) -> list[str]:
    return sorted({a["href"] for t, a in tags_of(client.get(path).text).tags
                   if t == "a" and a.get("href", "").startswith(prefix)})


def test_pages_language_switch_sets_a_cookie_and_stays_on_site(client):
    r = client.get("/lang/en?next=/timeline%3Ftype%3DPROTEST", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/timeline?type=PROTEST"
    assert "lang=en" in r.headers["set-cookie"]
    client.cookies.set("lang", "en")
    try:
        page = client.get("/timeline").text
    finally:
        client.cookies.clear()
    assert '<html lang="en">' in page and "Timeline of events" in page
    assert '<html lang="ru">' in client.get("/timeline").text
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        r = client.get("/lang/en", params={"next": evil}, follow_redirects=False)
        assert r.headers["location"] == "/", evil


# --- pages of lists: every item on exactly one page, in the list's order ------------------------------------------

def _figures(client) -> list[str]:
    return [c["id"] for c in client.get("/api/figures", params={"category": "killed", "limit": 500}).json()["items"]]


def _entity_articles(client) -> tuple[str, list[str]]:
    ent = client.get("/api/entities", params={"limit": 1}).json()["items"][0]
    return ent["id"], [d["doc_id"] for d in client.get(f"/api/entities/{ent['id']}", params={"limit": 500}).json()[
        "documents"]]


PAGED = [
    # the page, the constant of its page size, how an item shows on it, the whole list (from the API)
    ("/timeline?", "letopis.web.listings.TIMELINE", r'class="row-link" href="/events/(ev-[0-9a-f]+)"',
     lambda c: [e["id"] for e in c.get("/api/events", params={"limit": 500}).json()["items"]]),
    ("/timeline?type=PROTEST", "letopis.web.listings.TIMELINE", r'class="row-link" href="/events/(ev-[0-9a-f]+)"',
     lambda c: [e["id"] for e in c.get("/api/events", params={"limit": 500, "type": "PROTEST"}).json()["items"]]),
    ("/figures?category=killed", "letopis.web.listings.CLAIMS",
     r'class="source-link" href="/documents/(doc-[0-9a-f]+#fig-\d+)"',
     lambda c: [i.replace(":", "#fig-") for i in _figures(c)]),
    ("/entities/{entity}?", "letopis.web.views.ARTICLES", r'<li><a href="/documents/(doc-[0-9a-f]+)">',
     lambda c: _entity_articles(c)[1]),
]


@pytest.mark.parametrize("path, constant, item, whole", PAGED, ids=[p for p, *_ in PAGED])
@pytest.mark.parametrize("size", [2, 5])
def test_pages_list_pages_cover_the_list_in_order(client, monkeypatch, path, constant, item, whole, size):
    monkeypatch.setattr(constant, size)
    expected = whole(client)
    path = path.format(entity=_entity_articles(client)[0])
    assert len(expected) > size
    seen = []
    for offset in range(0, len(expected) + size, size):
        html = client.get(f"{path}&offset={offset}&lang=ru").text
        found = re.findall(item, html)
        assert len(found) == max(0, min(size, len(expected) - offset)), offset
        if found:                                               # the page says which part of the list it is
            assert f"{offset + 1}–{offset + len(found)} из {len(expected)}" in html
            assert ("offset=" + str(offset + size) in html) == (offset + size < len(expected))   # a next link
        seen += found
    assert seen == expected


def test_pages_map_draws_a_bounded_number_of_events_and_says_so(client, monkeypatch):
    monkeypatch.setattr("letopis.web.listings.MAX_POINTS", 3)
    data = client.get("/map/events.json").json()
    assert len(data["events"]) == 3 < data["total"]
    events = client.get("/api/events", params={"limit": 500}).json()
    located = [e["id"] for e in events["items"] if (e["location"] or {}).get("lat") is not None]
    assert [e["id"] for e in data["events"]] == located[:3] and data["total"] == len(located)
    assert data["without_coordinates"] == events["total"] - len(located)
    assert f"первые 3 из {len(located)}" in client.get("/map?lang=ru").text


def test_pages_documents_count_events_and_claims_of_their_page(client, web_db):
    html = client.get("/documents?offset=20").text
    doc_id = re.findall(r'href="/documents/(doc-[0-9a-f]+)"', html)[0]
    n_events = ids(web_db, f"SELECT COUNT(*) FROM event_mentions WHERE doc_id='{doc_id}'")[0]
    n_claims = ids(web_db, f"SELECT COUNT(*) FROM figure_claims WHERE doc_id='{doc_id}'")[0]
    row = html.split(f'href="/documents/{doc_id}"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">(\d+)</td>', row) == [str(n_events), str(n_claims)]
