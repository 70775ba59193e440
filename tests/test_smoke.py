def test_welcome_page_is_in_vietnamese_by_default(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'lang="vi"' in page.get_data(as_text=True)
