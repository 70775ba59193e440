"""Pages, styles and scripts are sent compressed to phones that accept it (3G costs money)."""
import pytest


@pytest.mark.parametrize("url", ["/learn/vi/", "/static/css/app.css", "/static/js/player.js",
                                 "/offline/vi/precache.json"])
@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_text_responses_are_compressed(client, url, encoding):
    plain = client.get(url)
    plain_size = len(plain.get_data())
    plain.close()
    packed = client.get(url, headers={"Accept-Encoding": encoding})
    packed_size = len(packed.get_data())
    packed.close()
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert packed_size < plain_size / 2
