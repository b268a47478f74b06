"""Personal data in free text is found and masked before anything is stored."""

import pandas as pd
import pytest

from safetycore import privacy


@pytest.mark.parametrize("text, kinds, masked", [
    ("Pojken har pnr 20080412-1234.", {"pnr"}, "Pojken har pnr [personnummer]."),
    ("Samordningsnummer 850472-1234 nämndes", {"pnr"}, "Samordningsnummer [personnummer] nämndes"),
    ("Ring 070-123 45 67 eller +46 8 123 456 78", {"phone"},
     "Ring [telefonnummer] eller [telefonnummer]"),
    ("Eleven Kalle Svensson och Anna Karlsson bråkade", {"name"},
     "Eleven [namn] och [namn] bråkade"),
    ("Klotter på Storgatan 12 kl 21.30 den 2026-11-20, ca 15 ungdomar", set(),
     "Klotter på Storgatan 12 kl 21.30 den 2026-11-20, ca 15 ungdomar"),
    ("Busstationen i Rimbo, 3 bilar, 2024 års siffror", set(),
     "Busstationen i Rimbo, 3 bilar, 2024 års siffror"),
])
def test_find_and_mask(text, kinds, masked):
    assert privacy.kinds_found(text) == kinds
    assert privacy.mask(text) == masked


def test_mask_series_matches_mask():
    texts = ["070-1234567 Anna Berg", None, "ok", "19850412-1234"]
    out = privacy.mask_series(pd.Series(texts, dtype=object)).tolist()
    assert out[0] == privacy.mask(texts[0]) and out[2] == "ok" and out[3] == "[personnummer]"
    assert pd.isna(out[1])


def test_a_mobile_number_without_separators_is_a_phone_number_in_form_and_import():
    text = "Ring 0701234567 i kväll"
    assert privacy.kinds_found(text) == {"phone"}
    assert privacy.mask(text) == "Ring [telefonnummer] i kväll"
    assert privacy.mask_series(pd.Series([text])).iloc[0] == privacy.mask(text)
    # Twelve digits are still a personal identity number (born 2007).
    assert privacy.kinds_found("200701234567") == {"pnr"}
