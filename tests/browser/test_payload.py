"""Article text is data, never markup: an article whose title and text carry script payloads is ingested and
every page that shows it is opened in Chromium; no payload runs, and the payload is shown as the text it is."""
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
