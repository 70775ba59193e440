"""What a phone downloads to work offline: manifest, service worker and the precache list."""
import shutil
from pathlib import Path

from hue_literacy.content.access import release
from hue_literacy.offline.services import precache_manifest
from tests.conftest import make_app

CONTENT = Path(__file__).resolve().parent.parent / "content"


def status_of(client, url: str) -> int:
    """GET and close the response (file responses stream)."""
    response = client.get(url)
    response.close()
    return response.status_code


def test_web_app_manifest_is_named_in_each_language(client):
    vi = client.get("/manifest.vi.webmanifest").get_json()
    en = client.get("/manifest.en.webmanifest").get_json()
    assert vi["name"] == "Bình dân học vụ số Huế" and en["name"] == "Hue Digital Literacy"
    assert vi["display"] == "standalone" and vi["start_url"].startswith("/learn/vi/")
    sizes = {icon["sizes"] for icon in vi["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in vi["icons"]:
        assert status_of(client, icon["src"]) == 200


def test_pages_link_the_manifest_of_their_language(client):
    page = client.get("/").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.vi.webmanifest"' in page


def test_service_worker_is_served_from_the_root_and_revalidated(client):
    response = client.get("/sw.js")
    response.close()
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]
    assert "javascript" in response.mimetype


def test_precache_list_holds_every_lesson_of_the_language(client, app):
    manifest = client.get("/offline/vi/precache.json").get_json()
    with app.app_context():
        lesson_ids = set(release().in_lang("vi"))
    for lesson_id in lesson_ids:
        assert f"/learn/vi/{lesson_id}" in manifest["urls"]
    assert not any(url.startswith("/learn/en/") for url in manifest["urls"])
    assert any(url.startswith("/static/js/outbox.js?v=") for url in manifest["urls"])


def test_every_precached_url_answers(client):
    """cache.addAll fails as a whole if one URL fails, so every one must answer 200."""
    for lang in ("vi", "en"):
        for url in client.get(f"/offline/{lang}/precache.json").get_json()["urls"]:
            assert status_of(client, url) == 200, url


def test_cache_key_changes_when_a_lesson_changes(tmp_path, database_url):
    shutil.copytree(CONTENT, tmp_path / "content")
    before = _manifest(tmp_path / "content", database_url)
    lesson = tmp_path / "content" / "vi" / "qr-ward-notice.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("Bác", "Ông bà", 1),
                      encoding="utf-8")
    after = _manifest(tmp_path / "content", database_url)
    assert before["cache_key"] != after["cache_key"]
    assert before["content_hash"] != after["content_hash"]


def _manifest(content_dir, database_url):
    app = make_app(database_url, CONTENT_DIR=str(content_dir))
    with app.app_context():
        return precache_manifest(release(), Path(app.config["STATIC_DIR"]), "vi")


def test_unknown_language_is_404(client):
    assert client.get("/offline/fr/precache.json").status_code == 404
    assert client.get("/manifest.fr.webmanifest").status_code == 404
