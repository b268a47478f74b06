"""The upload widget's own texts in the viewer's language (``uploader_texts``)."""

from __future__ import annotations

import streamlit as st

from ui.format import number
from ui.i18n import t


def _css_text(text: str) -> str:
    """``text`` as a CSS string's content (quotes and backslashes escaped, no line breaks)."""
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", " ")
        .replace("<", "\\3c ")
        .replace(">", "\\3e ")
    )


def uploader_texts(label: str, mb: int, types: list[str]) -> None:
    """The upload widget's own texts from the catalogue, for the widget labelled ``label``.

    Streamlit 1.67 writes them in English whatever the app's language ("Upload", "50MB per
    file • JSON, CSV") and has no parameter for them; a style shows the catalogue's words in
    their place (the widget's behaviour is unchanged).
    """
    box = f'[data-testid="stFileUploaderDropzone"][aria-label="{_css_text(label)}"]'
    button = f'{box} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p'
    hint = f'{box} [data-testid="stFileUploaderDropzoneInstructions"] span'
    limit = t("upload.limit", mb=number(mb), types=", ".join(x.upper() for x in types))
    st.html(
        f"<style>{button}, {hint} {{ font-size: 0 !important; }}"
        f'{button}::after {{ content: "{_css_text(t("upload.button"))}"; font-size: 0.875rem; }}'
        f'{hint}::after {{ content: "{_css_text(limit)}"; font-size: 0.875rem; }}</style>'
    )
