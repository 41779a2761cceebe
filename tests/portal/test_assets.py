"""Static files are linked by their content's digest and kept by browsers for a year."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, url_for
from sqlalchemy.orm import Session

from tests.factories import make_user
from tests.portal.customer_helpers import login


def test_a_page_links_its_files_by_digest_and_a_browser_keeps_them(
    app: Flask, session: Session
) -> None:
    client = app.test_client()
    login(client, make_user(session, "customer", language="en"))
    page = client.get("/").get_data(as_text=True)
    linked = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert {re.sub(r"\?.*", "", u) for u in linked} >= {
        "/static/concord.css",
        "/static/js/tables.js",
    }
    for url in linked:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        kept = client.get(url)
        kept.close()
        assert (
            kept.status_code == 200 and kept.headers["Cache-Control"] == "public, max-age=31536000"
        )
    # without the digest, or with another, the browser asks again each time
    for url in ("/static/concord.css", "/static/concord.css?v=000000000000"):
        again = client.get(url)
        again.close()
        assert again.status_code == 200 and again.headers["Cache-Control"] == "no-cache"
    # a name no file has, or one no file can have, is not found (never a 500)
    for url in (
        "/static/nope.css?v=abc",
        "/static/%00.css?v=1",
        "/static/../config.py?v=1",
        "/static/js/?v=1",
    ):
        missing = client.get(url)
        missing.close()
        assert missing.status_code == 404, url


def test_a_changed_file_gets_a_new_url_and_the_old_one_is_not_kept(
    app: Flask, tmp_path: Path
) -> None:
    app.static_folder = str(tmp_path)
    style = tmp_path / "site.css"
    style.write_text("body { color: black }", encoding="utf-8")
    with app.test_request_context():
        before = url_for("static", filename="site.css")
        style.write_text("body { color: navy }", encoding="utf-8")
        after = url_for("static", filename="site.css")
        assert url_for("static", filename="missing.css") == "/static/missing.css"
    assert before != after and before.startswith("/static/site.css?v=")
    client = app.test_client()
    old, new = client.get(before), client.get(after)
    assert new.get_data(as_text=True) == "body { color: navy }"
    old.close()
    new.close()
    assert old.headers["Cache-Control"] == "no-cache"
    assert new.headers["Cache-Control"] == "public, max-age=31536000"


def test_the_frame_links_the_stylesheet_as_it_is_now(app: Flask, tmp_path: Path) -> None:
    """The frame keeps its page URLs per mount point, but not the static files' (a stylesheet
    edited while ``make run`` serves would otherwise stay under the URL a browser keeps)."""
    app.static_folder = str(tmp_path)
    (tmp_path / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    style = tmp_path / "concord.css"
    client = app.test_client()
    links = []
    for text in ("body { color: black }", "body { color: navy }"):
        style.write_text(text, encoding="utf-8")
        page = client.get("/login").get_data(as_text=True)
        links.append(re.search(r'href="(/static/concord\.css\?v=[0-9a-f]{12})"', page))
    assert links[0] and links[1] and links[0][1] != links[1][1]
