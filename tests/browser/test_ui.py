"""End-to-end: the demo in a real browser — search, timeline, map, an event with its sources, the figures
comparison — with screenshots of each page, on a laptop screen and on a phone."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow


def _shot(page, shots, name: str, full_page: bool = True) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=full_page)


def test_ui_overview_links_every_section(page, demo, shots):
    page.goto(demo.url + "/")
    for href in ("/search", "/timeline", "/map", "/figures", "/documents", "/entities"):
        assert page.locator(f"header nav a[href='{href}']").count() == 1
    assert page.locator(".stats strong").first.inner_text().strip() != "0"
    _shot(page, shots, "overview")


def test_ui_search_finds_word_forms(page, demo, shots):
    page.goto(demo.url + "/")
    page.fill(".big-search input[name=q]", "погибших")
    page.press(".big-search input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    hits = page.locator("#results .hit")
    assert hits.count() > 0, page.locator("#results").inner_text()
    # the match is highlighted in the snippets, in more than one form of the word
    marked = {m.lower() for m in page.locator("#results .mk-hit").all_inner_texts()}
    assert any(m.startswith("погиб") for m in marked), marked
    _shot(page, shots, "search")
    # a facet narrows the results in place (htmx), and the address follows
    page.locator("input[name=kind][value=event]").check()
    page.wait_for_url(re.compile(r"kind=event"))
    assert page.locator("#results .hit.kind-event").count() == page.locator("#results .hit").count() > 0


def test_ui_timeline_opens_an_event_with_its_sources(page, demo, shots):
    page.goto(demo.url + "/timeline")
    items = page.locator("svg.timeline a.tl-item")
    assert items.count() >= 10
    _shot(page, shots, "timeline")
    first = items.first
    event_id = first.get_attribute("data-event")
    first.click()
    page.wait_for_url(f"**/events/{event_id}")
    _check_event(page)
    _shot(page, shots, "event")


def test_ui_timeline_filters_by_type(page, demo):
    page.goto(demo.url + "/timeline")
    page.select_option("select[name=type]", "PROTEST")
    page.wait_for_url(re.compile(r"type=PROTEST"))
    lanes = page.locator("svg.timeline .lane-label").all_text_contents()
    assert lanes == ["Протест"], lanes


def test_ui_map_clusters_and_opens_an_event(page, demo, shots):
    page.goto(demo.url + "/map")
    page.wait_for_selector("#map[data-ready]")
    assert page.get_attribute("#map", "data-ready") not in ("0", "error")
    page.wait_for_selector("#map path.leaflet-interactive, #map svg path", state="attached")   # country borders
    clusters = page.locator("#map .cluster")
    assert clusters.count() >= 1                                 # dense events are clustered
    _shot(page, shots, "map")
    dots = page.locator("#map .ev-dot")
    if dots.count() == 0:                                        # zoom into a cluster until single events show
        clusters.first.click()
        page.wait_for_selector("#map .ev-dot")
    page.locator("#map .ev-dot").first.click(force=True)
    page.locator(".leaflet-popup a.open-event").click()
    page.wait_for_url("**/events/ev-*")
    _check_event(page)


def _check_event(page) -> None:
    assert page.locator(".facts dt").count() >= 3               # what, when, where…
    quotes = page.locator(".mentions .quote")
    assert quotes.count() >= 1
    marked = page.locator(".mentions .quote .mk-ev")
    assert marked.count() >= 1 and marked.first.inner_text().strip()   # the source sentence, highlighted
    assert page.locator(".mentions .quote-source a[href^='/documents/']").count() >= 1


def test_ui_event_with_competing_figures_shows_chart(page, demo, shots):
    # from the ledger to an event whose figures are claimed by several sources
    page.goto(demo.url + "/figures?category=participants")
    links = page.locator(".claims-table a.event-link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    busiest = max(set(hrefs), key=hrefs.count)                  # the event most claims are about
    page.locator(f".claims-table a.event-link[href='{busiest}']").first.click()
    page.wait_for_url(f"**{busiest}")
    _check_event(page)
    assert page.locator(".claims-group svg.chart .series").count() >= 2
    assert page.locator(".claims-group .claims-table tbody tr").count() >= 2
    _shot(page, shots, "event-figures")


def test_ui_figures_compares_claimants_by_day(page, demo, shots):
    page.goto(demo.url + "/figures")
    page.select_option("select[name=category]", "killed")
    page.wait_for_url(re.compile(r"category=killed"))
    page.select_option("select[name=country]", "KZ")
    page.wait_for_url(re.compile(r"country=KZ"))
    assert page.locator("svg.chart .series").count() >= 2         # several claimants side by side
    rows = page.locator("table.pivot tbody tr")
    assert rows.count() >= 2
    assert page.locator("table.pivot thead th").count() >= 3      # claimant + at least two days
    _shot(page, shots, "figures")


def test_ui_document_marks_with_legend(page, demo, shots):
    page.goto(demo.url + "/documents")
    page.locator("table.data a[href^='/documents/doc-']").first.click()
    page.wait_for_url("**/documents/doc-*")
    for layer in ("ev", "fig", "ent"):
        assert page.locator(f"#doc-text .mk-{layer}").count() >= 1, layer
    page.locator(".legend input[data-layer=ev]").uncheck()
    assert "hide-ev" in page.get_attribute("#doc-text", "class")
    page.locator(".legend input[data-layer=ev]").check()
    _shot(page, shots, "document")


def test_ui_entity_page(page, demo, shots):
    page.goto(demo.url + "/entities?type=PER")
    page.locator("table.data a[href^='/entities/ent-']").first.click()
    page.wait_for_url("**/entities/ent-*")
    assert page.locator("h1").inner_text().strip()
    _shot(page, shots, "entity")


def test_ui_language_switch_to_english_and_back(page, demo):
    page.goto(demo.url + "/timeline")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.locator("a.lang").click()
    page.wait_for_url("**/timeline")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().strip() == "Timeline of events"
    page.locator("a.lang").click()
    assert page.locator("h1").inner_text().strip() == "Хронология событий"


@pytest.mark.parametrize("path,name", [("/", "phone-overview"), ("/timeline", "phone-timeline"),
                                       ("/figures?category=killed", "phone-figures")])
def test_ui_phone_layout_fits_the_screen(phone, demo, shots, path, name):
    phone.goto(demo.url + path)
    # one column: nothing but scroll boxes (tables, the timeline) is wider than the screen
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{path} is {overflow}px wider than the phone"
    _shot(phone, shots, name, full_page=False)
