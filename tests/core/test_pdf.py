"""core.pdf: WeasyPrint with a URL fetcher that serves the app's static files and nothing else."""

import socket
import subprocess

from PIL import Image

from core import pdf as core_pdf
from core.pdf import html_to_pdf


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_a_document_fetches_nothing_from_the_network_or_the_disk(monkeypatch, tmp_path):
    def no_network(*args, **kwargs):
        raise AssertionError("Le rendu PDF a tenté une connexion réseau.")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    fetched = []
    real_fetcher = core_pdf.static_only_url_fetcher

    def spy(url, *args, **kwargs):
        fetched.append(url)
        return real_fetcher(url, *args, **kwargs)

    monkeypatch.setattr(core_pdf, "static_only_url_fetcher", spy)
    image = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(image)
    html = (
        '<link rel="stylesheet" href="https://cdn.example.org/style.css">'
        f'<img src="http://example.org/pixel.png"><img src="file://{image}">'
        '<p style="background: url(https://example.org/fond.png)">Texte</p>'
    )
    pdf = html_to_pdf(html=html)
    assert pdf.startswith(b"%PDF")
    assert "Texte" in pdf_text(pdf)
    assert any(url.startswith("http://") for url in fetched) and any(url.startswith("file://") for url in fetched)
    source = tmp_path / "out.pdf"
    source.write_bytes(pdf)
    images = subprocess.run(["pdfimages", "-list", str(source)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 2, images  # the header lines only: no image was embedded
