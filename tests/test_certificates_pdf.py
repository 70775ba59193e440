"""Certificate PDFs: text with diacritics, embedded fonts, one page each, a QR that scans."""
from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from hue_literacy.accounts.models import User
from hue_literacy.certificates import services
from hue_literacy.certificates.pdf import PrintedCertificate, place_and_date, render_pdf
from hue_literacy.certificates.signing import format_code
from hue_literacy.classes import services as classes
from hue_literacy.content.access import framework
from hue_literacy.extensions import db
from tests.factories import LearnerFactory, ward
from tests.test_certificates import issue, make_people, make_ready

MM_PER_POINT = 25.4 / 72
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

def text_of(pdf: bytes) -> list[str]:
    """The text of each page, composed (NFC) so that diacritics compare as typed."""
    reader = PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def people(app):
    return make_people(app)


@pytest.fixture
def certificate(app, people):
    with app.test_request_context():
        return issue(db.session.get(User, people["hoa"].id),
                     db.session.get(User, people["official_a"].id), date(2026, 3, 14))


def test_the_pdf_holds_the_name_with_its_diacritics_the_serial_and_the_code(client, auth,
                                                                            people, certificate):
    auth.as_user(people["official_a"])
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'inline; filename="{certificate.serial}.pdf"')
    pages = text_of(response.data)
    assert len(pages) == 1
    text = flat(pages[0])
    assert "Nguyễn Thị Hoa" in text
    assert certificate.serial in text
    assert format_code(certificate.code) in text
    assert "07/02/1951" in text
    assert "Huế, ngày 14 tháng 3 năm 2026" in text
    assert "Trần Văn Bình" in text
    assert "Mở máy quét QR của điện thoại" in text  # competencies in words, in Vietnamese
    assert "hue-dl" not in text  # internal ids stay off the paper
    assert "QR-1" not in text


def test_the_pdf_carries_the_national_heading_in_vietnamese(client, auth, people, certificate):
    """Needs the merged Vietnamese catalogue (pending/certificates.yaml)."""
    auth.as_user(people["official_a"])
    text = flat(text_of(client.get(f"/certificates/{certificate.id}.pdf").data)[0])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND PHƯỜNG PHÚ XUÂN" in text
    assert "GIẤY CHỨNG NHẬN" in text


def test_the_pdf_in_english_on_request(client, auth, people, certificate):
    auth.as_user(people["hoa"])
    text = flat(text_of(client.get(f"/certificates/{certificate.id}.pdf?lang=en").data)[0])
    assert "SOCIALIST REPUBLIC OF VIETNAM" in text
    assert "CERTIFICATE" in text
    assert "Nguyễn Thị Hoa" in text
    assert "Open the phone's QR scanner" in text
    assert "Hue, 14 March 2026" in text


def test_the_pdf_embeds_fonts_that_cover_vietnamese_on_an_a4_landscape_page(client, auth,
                                                                          people, certificate):
    auth.as_user(people["official_a"])
    reader = PdfReader(io.BytesIO(client.get(f"/certificates/{certificate.id}.pdf").data))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width * MM_PER_POINT), round(height * MM_PER_POINT)) == (297, 210)
    fonts = page["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        names.add(str(font["/BaseFont"]).split("+")[-1])
        descendant = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded
    assert "Noto-Serif" in names
    assert all(name.startswith("Noto") for name in names), names


def scan_page(pdf: bytes, dpi: int, folder: Path) -> str:
    """Render the first page to PNG at `dpi` as a PDF viewer would and read its QR with zbar."""
    pdftoppm, zbarimg = shutil.which("pdftoppm"), shutil.which("zbarimg")
    (folder / "certificate.pdf").write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile",  # noqa: S603
                    str(folder / "certificate.pdf"), str(folder / f"page-{dpi}")], check=True)
    return subprocess.run([zbarimg, "--raw", "-q", str(folder / f"page-{dpi}.png")],  # noqa: S603
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                    reason="needs poppler-utils and zbar-tools (make system-deps)")
def test_the_printed_qr_decodes_at_72_and_150_dpi_to_a_genuine_check(app, client, auth, people,
                                                                     certificate, tmp_path):
    auth.as_user(people["official_a"])
    pdf = client.get(f"/certificates/{certificate.id}.pdf").data
    # 72 dpi is a PDF preview on a screen (and a phone photo of a small print); 150 a scan.
    scanned = {dpi: scan_page(pdf, dpi, tmp_path) for dpi in (72, 150)}
    assert scanned[72] == scanned[150]
    ARTIFACTS.mkdir(exist_ok=True)  # for a person to look at the page
    shutil.copy(tmp_path / "page-72.png", ARTIFACTS / "certificate-72dpi.png")
    url = urlsplit(scanned[72])
    assert url.path == f"/verify/{format_code(certificate.code)}"
    assert url.query.startswith("t=")
    client.post("/language", data={"lang": "en"})
    page = client.get(f"{url.path}?{url.query}").get_data(as_text=True)
    assert "This certificate is valid." in page
    assert "Genuine: this QR code was made by the Hue Digital Literacy app" in page
    with app.test_request_context():
        services.revoke_certificate(db.session.get(type(certificate), certificate.id),
                                    db.session.get(User, people["official_a"].id), "Wrong name")
        db.session.commit()
    revoked = client.get(f"{url.path}?{url.query}").get_data(as_text=True)
    assert "It is no longer valid." in revoked and "This certificate is valid." not in revoked


def test_a_revoked_certificate_prints_marked_as_revoked(app, client, auth, people, certificate):
    with app.test_request_context():
        services.revoke_certificate(db.session.get(type(certificate), certificate.id),
                                    db.session.get(User, people["official_a"].id), "Wrong name")
        db.session.commit()
    auth.as_user(people["official_a"])
    text = flat(text_of(client.get(f"/certificates/{certificate.id}.pdf?lang=en").data)[0])
    assert "REVOKED" in text


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_the_longest_profile_and_a_long_name_fit_on_one_page(app, locale):
    content_framework = None
    with app.test_request_context():
        content_framework = framework()
        profile = max(content_framework.profiles, key=lambda p: len(p.competency_ids))
        printed = PrintedCertificate(
            serial="HUE-PHONGQUANG-2026-000123", code="7KQM-4XRT",
            learner_name="Tôn Nữ Thị Hoàng Phương Nguyệt Ánh Dương",
            birth_date=date(1940, 12, 31), ward_name="Phong Quảng",
            framework_title=content_framework.title[locale], framework_id="hue-dl",
            framework_version=2, profile_name=profile.name[locale],
            competencies=services.competency_texts(profile.competency_ids, content_framework,
                                                   locale),
            issued_on=date(2026, 12, 31), official_name="Nguyễn Phước Vĩnh Thụy",
            verify_url="https://hoc.hue.gov.vn/verify/7KQM-4XRT?s=abcdefghijklmnop",
            lookup_url="hoc.hue.gov.vn/verify",
        )
        pages = text_of(render_pdf([printed, printed], locale))
    assert len(pages) == 2
    assert "Tôn Nữ Thị Hoàng Phương Nguyệt Ánh Dương" in flat(pages[0])
    last_text = printed.competencies[-1][1]
    assert flat(last_text) in flat(pages[0])  # the whole list, in words on the one page
    assert printed.competencies[-1][0] not in pages[0]  # and without the app's ids


def test_the_dateline_follows_the_administrative_style():
    assert place_and_date(date(2026, 1, 5), "vi") == "Huế, ngày 05 tháng 01 năm 2026"
    assert place_and_date(date(2026, 2, 28), "vi") == "Huế, ngày 28 tháng 02 năm 2026"
    assert place_and_date(date(2026, 11, 9), "vi") == "Huế, ngày 09 tháng 11 năm 2026"


# --- batches ---------------------------------------------------------------------------------


def test_the_ward_batch_prints_every_valid_certificate_once_per_page(app, client, auth,
                                                                     people, certificate):
    with app.test_request_context():
        official = db.session.get(User, people["official_a"].id)
        others = []
        for name in ("Lê Văn Ánh", "Hồ Thị Xuân Hương"):
            learner = LearnerFactory(ward=ward("PHUXUAN"), full_name=name)
            make_ready(learner, official)
            others.append(issue(learner, official, date(2026, 5, 1)))
        services.revoke_certificate(db.session.get(type(certificate), certificate.id),
                                    official, "Printed with a typo")
        db.session.commit()
    auth.as_user(people["official_a"])
    response = client.get("/certificates/batch.pdf?year=2026&lang=vi")
    assert response.status_code == 200
    pages = [flat(page) for page in text_of(response.data)]
    assert len(pages) == 2
    assert others[0].serial in pages[0] and "Lê Văn Ánh" in pages[0]
    assert others[1].serial in pages[1] and "Hồ Thị Xuân Hương" in pages[1]
    assert not any(certificate.serial in page for page in pages)  # revoked: not printed
    empty = client.get("/certificates/batch.pdf?year=2019")
    assert empty.status_code == 302


def test_the_class_batch_prints_the_certificates_of_its_learners(app, client, auth, people,
                                                                 certificate):
    with app.test_request_context():
        official = db.session.get(User, people["official_a"].id)
        session = classes.open_class(ward("PHUXUAN").id, "Nhà văn hóa tổ 5", date(2026, 3, 1),
                                     official)
        classes.join_class(session, db.session.get(User, people["hoa"].id))
        classes.join_class(session, db.session.get(User, people["loc"].id))  # no certificate
        db.session.commit()
    auth.as_user(people["official_a"])
    pages = text_of(client.get(f"/certificates/batch.pdf?class={session.id}").data)
    assert len(pages) == 1
    assert certificate.serial in flat(pages[0])
    auth.as_user(people["official_b"])
    assert client.get(f"/certificates/batch.pdf?class={session.id}").status_code == 403


def test_paper_carries_the_public_address_when_one_is_configured(app, client, auth, people,
                                                                 certificate):
    app.config["CERTIFICATE_BASE_URL"] = "https://hoc.hue.gov.vn/"
    auth.as_user(people["official_a"])
    text = flat(text_of(client.get(f"/certificates/{certificate.id}.pdf?lang=en").data)[0])
    assert "type the code at hoc.hue.gov.vn/verify" in text
    assert "localhost" not in text


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                    reason="needs poppler-utils and zbar-tools (make system-deps)")
def test_a_batch_laid_out_in_parallel_parts_is_one_document_in_order(app, monkeypatch,
                                                                     tmp_path: Path):
    """The big-batch path (parts in worker processes, joined with pypdf) on a small batch."""
    from hue_literacy.certificates import pdf_writer

    monkeypatch.setattr(pdf_writer, "PAGES_PER_PART_AT_LEAST", 1)
    names = ["Nguyễn Thị Hoa", "Lê Văn Ánh", "Hồ Thị Xuân Hương", "Trần Đức Thắng", "Võ Thị Ổn"]
    with app.test_request_context():
        content_framework = framework()
        profile = content_framework.profile_for_group("elderly")
        printed = [
            PrintedCertificate(
                serial=f"HUE-PHUXUAN-2026-{number:06d}", code="7KQM-4XRT", learner_name=name,
                birth_date=date(1950, 1, 1 + number), ward_name="Phú Xuân",
                framework_title=content_framework.title["vi"], framework_id="hue-dl",
                framework_version=2, profile_name=profile.name["vi"],
                competencies=services.competency_texts(profile.competency_ids,
                                                       content_framework, "vi"),
                issued_on=date(2026, 3, 14), official_name="Trần Văn Bình",
                verify_url=f"https://hoc.hue.gov.vn/verify/7KQM-4XRT?s=page{number}",
                lookup_url="hoc.hue.gov.vn/verify",
            )
            for number, name in enumerate(names, start=1)
        ]
        assert len(pdf_writer.part_bounds(len(printed), 2)) == 4
        alone, one = render_pdf(printed, "vi"), render_pdf(printed[:1], "vi")
        joined = render_pdf(printed, "vi", processes=2)
    pages = [flat(page) for page in text_of(joined)]
    assert len(pages) == len(names)
    for number, (page, name) in enumerate(zip(pages, names, strict=True), start=1):
        assert name in page and f"HUE-PHUXUAN-2026-{number:06d}" in page  # in order, readable
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    reader = PdfReader(io.BytesIO(joined))
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            descendant = ref.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()
    # Each part carries its own font subsets (tens of KB), never a copy per page.
    assert len(joined) < len(alone) + 4 * len(one)
    (tmp_path / "batch.pdf").write_bytes(joined)
    # Every page's QR, on both sides of each part boundary (after pages 2, 3 and 4), from a
    # screen preview (72 dpi) and a scan (150 dpi).
    for dpi in (72, 150):
        subprocess.run([shutil.which("pdftoppm"), "-r", str(dpi), "-gray", "-png",  # noqa: S603
                        str(tmp_path / "batch.pdf"), str(tmp_path / f"at{dpi}")], check=True)
        for number in range(1, len(names) + 1):
            scanned = subprocess.run([shutil.which("zbarimg"), "--raw", "-q",  # noqa: S603
                                      str(tmp_path / f"at{dpi}-{number}.png")],
                                     capture_output=True, text=True, check=True).stdout.strip()
            assert scanned == f"https://hoc.hue.gov.vn/verify/7KQM-4XRT?s=page{number}", dpi


@pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdftoppm")
                         and shutil.which("zbarimg")),
                    reason="needs poppler-utils and zbar-tools (make system-deps)")
def test_a_batch_of_two_wards_and_profiles_prints_each_page_over_its_own_shared_page(app,
                                                                                   tmp_path):
    """Two shared pages (ward, profile) under alternating certificates; a very long name."""
    long_name = "Công Tằng Tôn Nữ Thị Hoàng Phương Nguyệt Ánh Dương Xuân Thu Diễm Kiều Trang Lệ"
    with app.test_request_context():
        content_framework = framework()
        elderly = content_framework.profile_for_group("elderly")
        trader = content_framework.profile_for_group("trader")

        def certificate(number, name, ward_name, profile):
            return PrintedCertificate(
                serial=f"HUE-TEST-2026-{number:06d}", code=f"7KQM-{number:04d}",
                learner_name=name, birth_date=date(1948, 2, number), ward_name=ward_name,
                framework_title=content_framework.title["vi"], framework_id="hue-dl",
                framework_version=2, profile_name=profile.name["vi"],
                competencies=services.competency_texts(profile.competency_ids,
                                                       content_framework, "vi"),
                issued_on=date(2026, 4, number), official_name="Trần Văn Bình",
                verify_url=f"https://hoc.hue.gov.vn/verify/7KQM-{number:04d}?s=p{number}",
                lookup_url="hoc.hue.gov.vn/verify")

        printed = [certificate(1, "Nguyễn Thị Hoa", "Phú Xuân", elderly),
                   certificate(2, long_name, "Thuận Hóa", trader),
                   certificate(3, "Lê Văn Ánh", "Phú Xuân", elderly),
                   certificate(4, "Hồ Thị Xuân Hương", "Thuận Hóa", trader)]
        pdf = render_pdf(printed, "vi")
        # Printed again alone, a certificate reuses its ward's shared page, laid out once.
        from hue_literacy.certificates import pdf_writer

        reused = pdf_writer.write_background.cache_info().hits
        again = flat(text_of(render_pdf([printed[2]], "vi"))[0])
        assert pdf_writer.write_background.cache_info().hits == reused + 1
        assert "Lê Văn Ánh" in again and "HUE-TEST-2026-000003" in again
        assert "UBND PHƯỜNG PHÚ XUÂN" in again and "HUE-0" not in again
    (tmp_path / "mixed.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 4
    for number, (page, expected) in enumerate(zip(text_of(pdf), printed, strict=True), start=1):
        text = flat(page)
        assert expected.learner_name in text and expected.serial in text
        assert f"UBND PHƯỜNG {expected.ward_name.upper()}" in text
        assert expected.profile_name in text
        assert f"ngày {number:02d} tháng 4 năm 2026" in text  # each page's own date
    # The long name stays on its one line, above the statement (the shared page's layout).
    layout = subprocess.run([shutil.which("pdftotext"), "-layout", "-f", "2", "-l", "2",  # noqa: S603
                             str(tmp_path / "mixed.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout
    lines = [unicodedata.normalize("NFC", " ".join(line.split())) for line in layout.splitlines()]
    assert long_name in lines
    assert lines.index(long_name) < next(i for i, line in enumerate(lines)
                                         if line.startswith("đã thực hành"))
    # Two shared pages in the file, not one per certificate.
    shared = {page["/Resources"]["/XObject"][name].indirect_reference.idnum
              for page in reader.pages for name in page["/Resources"]["/XObject"]
              if name.startswith("/HueBackground")}
    assert len(shared) == 2
    subprocess.run([shutil.which("pdftoppm"), "-r", "72", "-gray", "-png",  # noqa: S603
                    str(tmp_path / "mixed.pdf"), str(tmp_path / "at72")], check=True)
    for number in range(1, 5):
        scanned = subprocess.run([shutil.which("zbarimg"), "--raw", "-q",  # noqa: S603
                                  str(tmp_path / f"at72-{number}.png")],
                                 capture_output=True, text=True, check=True).stdout.strip()
        assert scanned == f"https://hoc.hue.gov.vn/verify/7KQM-{number:04d}?s=p{number}"
