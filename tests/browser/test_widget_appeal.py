"""李四 files an appeal in the widget and uploads two materials (after a refused wrong file)."""
import struct
import zlib

from playwright.sync_api import expect

from tests.browser.ui import Chat, screenshot
from tests.helpers import app_token, http_json


def png_bytes() -> bytes:
    """A valid 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def pdf_bytes() -> bytes:
    """A small valid one-page PDF."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_user_files_an_appeal_and_uploads_two_materials(new_page, backend_url):
    chat = Chat(new_page("/")).log_in("13800000002").open()
    chat.say("借呗被拒我要申诉")
    chat.expect_bot("申诉")
    chat.say("我在现在的公司已经工作一年多了，每月按时发工资，换工作是因为公司搬迁。")
    chat.messages("bot").last.get_by_role("button", name="确认提交").click()
    expect(chat.messages("user").last).to_have_text("确认提交")

    card = chat.page.locator(".sw-upload")
    expect(card).to_be_visible()
    inputs = card.locator("input[type=file]")
    expect(inputs).to_have_count(2)
    upload = card.get_by_role("button", name="上传")

    # a text file named like a PDF is refused by content, with a clear message
    inputs.nth(0).set_input_files(files=[{"name": "proof.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}])
    upload.click()
    expect(card.locator(".sw-error")).to_have_text("文件类型不支持，请上传 JPG、PNG 或 PDF 文件。")

    inputs.nth(0).set_input_files(files=[{"name": "employment.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    inputs.nth(1).set_input_files(files=[{"name": "salary.png", "mimeType": "image/png", "buffer": png_bytes()}])
    upload.click()
    expect(card.locator(".sw-upload-note").nth(0)).to_have_text("已上传：employment.pdf")
    expect(card.locator(".sw-upload-note").nth(1)).to_have_text("已上传：salary.png")
    expect(chat.messages("system").last).to_have_text("已上传 2 个文件")
    chat.expect_bot("已收到")
    screenshot(chat.page, "widget-appeal-uploaded")

    token = app_token(backend_url, "13800000002")
    appeals = http_json("GET", f"{backend_url}/api/v1/me/appeals", headers={"Authorization": f"Bearer {token}"})
    assert len(appeals) == 1 and appeals[0]["product"] == "jiebei"
    assert sorted(m["file_name"] for m in appeals[0]["materials"]) == ["employment.pdf", "salary.png"]
