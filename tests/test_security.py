"""Security by default: headers, cookies, CSRF on forms."""
from hue_literacy.extensions import db
from tests.conftest import make_app
from tests.factories import TEST_PIN, LearnerFactory


def test_pages_carry_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in csp


def test_pages_have_no_inline_scripts_or_styles(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html and "onclick" not in html


def test_production_cookies_are_secure_and_http_only(database_url):
    app = make_app(database_url, TESTING=False)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_forms_without_csrf_token_are_refused(app):
    app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        LearnerFactory(phone="0912345678")
        db.session.commit()
    client = app.test_client()
    refused = client.post("/sign-in", data={"phone": "0912345678", "pin": TEST_PIN})
    assert refused.status_code == 400
    assert client.get("/me/data").status_code == 302
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    ok = client.post("/sign-in", data={"phone": "0912345678", "pin": TEST_PIN,
                                       "csrf_token": token})
    assert ok.status_code == 302


def test_api_answers_json_not_a_sign_in_page(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.is_json
