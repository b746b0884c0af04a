"""Article text is data, never markup: an article whose title and text carry script payloads is ingested, and
researchers' corrections with payloads in their notes and author are posted through the API; every page that
shows them is opened in Chromium: no payload runs, and each is shown as the text it is."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

def test_payload_never_runs_in_any_page(page, hostile):
    page.goto(hostile.url + "/documents")
    page.locator("table.data a[href^='/documents/doc-']").first.click()
    page.wait_for_url("**/documents/doc-*")
    doc_url = page.url
    assert "<script>window.__pwned=1</script>" in page.locator("h1").inner_text()   # shown as text
    assert "onerror" in page.locator("#doc-text").inner_text()
    event_links = page.locator(".doc-aside a[href^='/events/']")
    assert event_links.count() >= 1
    urls = [doc_url, hostile.url + event_links.first.get_attribute("href"), hostile.url + "/timeline",
            hostile.url + "/search?q=Шахтинске", hostile.url + "/figures", hostile.url + "/map", hostile.url + "/",
            hostile.url + "/entities"]
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        for x, y in ((300, 120), (500, 300), (700, 500)):          # an onmouseover would fire now
            page.mouse.move(x, y)
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator("#main img").count() == 0, url


def test_payload_in_correction_notes_is_shown_as_text(page, hostile):
    page.goto(f"{hostile.url}/events/{hostile.corrected_event}")
    page.wait_for_load_state("load")
    notes = page.locator(".corrections .note")
    assert notes.count() == 2
    assert sorted(notes.all_inner_texts()) == sorted(hostile.notes.values())               # the markup, as text
    assert "<b onmouseover" in page.locator(".corrections").first.inner_text()
    for x, y in ((300, 120), (500, 300), (700, 500)):
        page.mouse.move(x, y)
    page.locator(".corrections .note").first.hover()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator(".corrections img, .corrections svg, .corrections a, .corrections script").count() == 0
