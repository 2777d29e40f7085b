"""QR codes for links (family invites, a group's invite link), drawn the same way everywhere."""

from __future__ import annotations

import segno


def qr_data_uri(url: str) -> str:
    """An SVG QR code of `url` as a data: URI, for an <img> (no file, no extra request)."""
    return segno.make(url, error="m").svg_data_uri(scale=6, border=2, dark="#172020")
