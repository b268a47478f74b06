"""Personal data in free text is found and masked before anything is stored, and what only
looks like it (case numbers, bus times, dates) is kept."""

import random
import time

import duckdb
import pandas as pd
import pytest

from safetycore import privacy

PNR = "[personnummer]"
PHONE = "[telefonnummer]"
EMAIL = "[e-post]"


@pytest.mark.parametrize(
    "text, masked",
    [
        # Luhn-valid personal identity numbers, in every way they are written.
        ("Pojken har pnr 19811218-9876.", f"Pojken har pnr {PNR}."),
        ("pnr 811218-9876", f"pnr {PNR}"),
        ("pnr 811218\u20139876 (en dash)", f"pnr {PNR} (en dash)"),
        ("pnr 19811218\u20139876", f"pnr {PNR}"),
        ("pnr 811218+9876 (över 100 år)", f"pnr {PNR} (över 100 år)"),
        ("pnr 811218 9876", f"pnr {PNR}"),
        ("pnr 8112189876", f"pnr {PNR}"),
        ("pnr 198112189876", f"pnr {PNR}"),
        ("Tolvan 19121212-1212", f"Tolvan {PNR}"),
        # A coordination number: the day plus 60.
        ("Samordningsnummer 811278-9873 nämndes", f"Samordningsnummer {PNR} nämndes"),
    ],
)
def test_personal_identity_numbers_with_a_valid_check_digit_are_masked(text, masked):
    assert privacy.mask(text) == masked
    assert privacy.kinds_found(text) == {"pnr"}


@pytest.mark.parametrize(
    "text",
    [
        "Ärende 2403151234 gäller klottret",  # a case number: the last digit is no check digit
        "Ärende 240315-1234",
        "pnr 19811218-9875",  # one digit wrong
        "Diarienummer 811318-9876",  # month 13
        "811232-9876",  # day 32
        "Diarienummer 810230-1234",  # check digit right, but 30 February
        "Fakturanr 12345678901234",  # longer digit runs are no personal numbers
    ],
)
def test_numbers_that_fail_the_check_are_kept(text):
    assert privacy.mask(text) == text
    assert "pnr" not in privacy.kinds_found(text)


@pytest.mark.parametrize(
    "text, masked",
    [
        ("Ring 070-123 45 67", f"Ring {PHONE}"),
        ("Ring 070/123 45 67", f"Ring {PHONE}"),
        ("Ring (070) 123 45 67", f"Ring {PHONE}"),
        ("Ring 0701234567 i kväll", f"Ring {PHONE} i kväll"),
        ("Ring +46 70 123 45 67", f"Ring {PHONE}"),
        ("Ring +46701234567", f"Ring {PHONE}"),
        ("Ring +46 (0)70-123 45 67", f"Ring {PHONE}"),
        ("Ring 0046 70 123 45 67", f"Ring {PHONE}"),
        ("Växeln 08-123 456 78", f"Växeln {PHONE}"),
        ("Rimbo 0175-123 45", f"Rimbo {PHONE}"),
        ("Ring 070-123 45 67 eller +46 8 123 456 78", f"Ring {PHONE} eller {PHONE}"),
    ],
)
def test_phone_numbers_are_masked(text, masked):
    assert privacy.mask(text) == masked
    assert privacy.kinds_found(text) == {"phone"}


@pytest.mark.parametrize(
    "text",
    [
        "Bussen avgår 08 12 34 från Rimbo",
        "avgår 08 12 34",
        "Klotter på Storgatan 12 kl 21.30 den 2026-11-20, ca 15 ungdomar",
        "Busstationen i Rimbo, 3 bilar, 2024 års siffror",
        "Linje 639 kl 07.15-08.30",
        "Kostnad 12 000 kr, 3 st lampor",
        "Organisationsnummer 212000-0142",  # the municipality's own number: month 20
    ],
)
def test_times_dates_and_counts_are_kept(text):
    assert privacy.mask(text) == text
    assert privacy.kinds_found(text) == set()


@pytest.mark.parametrize(
    "text, masked",
    [
        ("Mejla anna.berg@kommun.se om det", f"Mejla {EMAIL} om det"),
        ("kontakt: x_y+tag@sub.example.org.", f"kontakt: {EMAIL}."),
        ("åsa.öberg@norrtalje.se", EMAIL),
        ("skicka till rektor@skolan", f"skicka till {EMAIL}"),
        ("två: a@b.se, c@d.se", f"två: {EMAIL}, {EMAIL}"),
    ],
)
def test_every_email_address_is_masked(text, masked):
    assert privacy.mask(text) == masked
    assert privacy.kinds_found(text) == {"email"}


@pytest.mark.parametrize(
    "text, masked",
    [
        ("Eleven Kalle Svensson och Anna Karlsson bråkade", "Eleven [namn] och [namn] bråkade"),
        ("Han heter Lundqvist", "Han heter [namn]"),
        ("Herr Berg klagade", "[namn] klagade".replace("[namn]", "Herr [namn]")),
    ],
)
def test_names_are_masked(text, masked):
    assert privacy.mask(text) == masked
    assert privacy.kinds_found(text) == {"name"}


def test_everything_in_one_text_and_the_kinds_a_field_keeps():
    text = "Anna Berg (811218-9876), 070-123 45 67, anna@x.se"
    assert privacy.mask(text) == f"[namn] ({PNR}), {PHONE}, {EMAIL}"
    assert privacy.kinds_found(text) == {"name", "pnr", "phone", "email"}
    # An assignee names a person by design: the name stays, the numbers go.
    assert privacy.mask(text, ("pnr", "phone", "email")) == f"Anna Berg ({PNR}), {PHONE}, {EMAIL}"


def test_mask_series_matches_mask_keeps_nulls_and_leaves_its_input_alone():
    texts = ["070-1234567 Anna Berg", None, "ok", "19811218-9876", "Ärende 2403151234", "ok"]
    series = pd.Series(texts, dtype=object)
    out = privacy.mask_series(series).tolist()
    assert out[0] == privacy.mask(texts[0]) == f"{PHONE} [namn]"
    assert out[1] is None and out[2] == "ok" and out[3] == PNR and out[4] == texts[4]
    assert series.tolist() == texts  # the caller's column is not changed
    no_nulls = pd.Series(["19811218-9876", "ok"], dtype=object)
    privacy.mask_series(no_nulls)
    assert no_nulls.tolist() == ["19811218-9876", "ok"]
    assert privacy.mask_series(pd.Series(["a@b.se"], dtype="string")).tolist() == [EMAIL]
    assert privacy.mask_list([None, "a@b.se"]) == [None, EMAIL]


FRAGMENTS = [
    "Klotter",
    "vid",
    "Storgatan",
    "12",
    "kl",
    "21.30",
    "2026-11-20",
    "Anna",
    "Karlsson",
    "ring",
    "070-123",
    "45",
    "67",
    "811218-9876",
    "2403151234",
    "@",
    "anna@x.se",
    "(070)",
    "+46",
    "08",
    "Eleven",
    "heter",
    "Berg",
    "avgår",
    "–",
    "/",
    "\u00a0",
    "0701234567",
    "19121212-1212",
    "Per",
    "Persson",
    "fru",
    "Öberg",
    "0",
    "7",
    "1234",
    "-",
    " ",
    ",",
    ".",
    "(",
    ")",
]


def test_the_vectorised_test_never_misses_a_text_with_a_finding():
    """Only the texts the RE2 test picks are read in Python, so it must pick every text with
    a finding: random texts built from the pieces of all the cases above."""
    rng = random.Random(5)
    texts = [
        "".join(rng.choice([" ", ""]) + rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 9)))
        for _ in range(4000)
    ]
    picked = privacy.candidates(texts)
    missed = [t for t, p in zip(texts, picked, strict=True) if not p and privacy.find(t)]
    assert missed == []
    assert privacy.mask_series(pd.Series(texts)).tolist() == [privacy.mask(t) for t in texts]


def test_scrub_table_masks_a_duckdb_column_in_place():
    con = duckdb.connect()
    con.execute("CREATE TABLE area_ratings (comment VARCHAR)")
    con.execute(
        "INSERT INTO area_ratings VALUES ('Lugnt'), ('Ring 070-123 45 67'), (NULL), "
        "('Ärende 2403151234'), ('Ring 070-123 45 67')"
    )
    assert privacy.scrub_table(con, "area_ratings", "comment") == 1
    assert [r[0] for r in con.execute("SELECT comment FROM area_ratings").fetchall()] == [
        "Lugnt",
        f"Ring {PHONE}",
        None,
        "Ärende 2403151234",
        f"Ring {PHONE}",
    ]
    with pytest.raises(KeyError):  # only the schema's free-text columns, by name
        privacy.scrub_table(con, "area_ratings", "rating")


def test_a_hundred_thousand_texts_are_scrubbed_in_about_a_second():
    texts = pd.Series(
        [f"Klotter vid Storgatan {i % 300}, kl 21.{i % 60:02d} (#{i})" for i in range(100_000)]
        + ["Ring 070-123 45 67"] * 10,
        dtype=object,
    )
    started = time.process_time()
    out = privacy.mask_series(texts)
    assert time.process_time() - started < 3
    assert (out.iloc[-10:] == f"Ring {PHONE}").all() and out.iloc[0] == texts.iloc[0]
