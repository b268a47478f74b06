"""Categories and sources: stable English codes in the database, Swedish and English labels.

``kind`` is ``incident`` (crime) or ``qol`` (quality-of-life offence, livskvalitetsbrott).
``sensitive`` categories are never drawn as points or cells and are hidden in meeting mode.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    kind: str
    label_sv: str
    label_en: str
    sensitive: bool = False


@dataclass(frozen=True)
class Source:
    code: str
    label_sv: str
    label_en: str


CATEGORIES: tuple[Category, ...] = (
    # Incidents (brott)
    Category("assault", "incident", "Misshandel", "Assault"),
    Category("robbery", "incident", "Rån", "Robbery"),
    Category("threat", "incident", "Olaga hot", "Unlawful threat"),
    Category("burglary", "incident", "Inbrott", "Burglary"),
    Category("theft", "incident", "Stöld", "Theft"),
    Category("shoplifting", "incident", "Snatteri", "Shoplifting"),
    Category("vehicle_crime", "incident", "Fordonsbrott", "Vehicle crime"),
    Category("drug_offence", "incident", "Narkotikabrott", "Drug offence"),
    Category("weapons", "incident", "Vapen- och knivbrott", "Weapons offence"),
    Category("arson", "incident", "Anlagd brand", "Arson"),
    Category("fraud", "incident", "Bedrägeri", "Fraud"),
    Category("domestic_violence", "incident", "Våld i nära relation", "Domestic violence", True),
    Category("sexual_offence", "incident", "Sexualbrott", "Sexual offence", True),
    # Quality-of-life offences (livskvalitetsbrott)
    Category("vandalism", "qol", "Skadegörelse", "Vandalism"),
    Category("graffiti", "qol", "Klotter", "Graffiti"),
    Category("littering", "qol", "Nedskräpning", "Littering"),
    Category("disorder", "qol", "Ordningsstörning", "Disorder"),
    Category("public_intoxication", "qol", "Berusning på allmän plats", "Public intoxication"),
    Category("public_drug_use", "qol", "Drogpåverkan på allmän plats", "Public drug use"),
    Category("youth_unrest", "qol", "Oroliga ungdomsgrupper", "Unrest among youth groups"),
    Category("moped_disturbance", "qol", "Moped- och EPA-störning", "Moped/EPA disturbance"),
    Category("unsafe_place", "qol", "Otrygg plats", "Unsafe place"),
)

SOURCES: tuple[Source, ...] = (
    Source("police", "Polisen", "Police"),
    Source("security_guards", "Ordningsvakter och väktare", "Security guards"),
    Source("field_coordinators", "Fältsamordnare", "Field coordinators"),
    Source("schools", "Skolor", "Schools"),
    Source("social_services", "Socialtjänsten", "Social services"),
    Source("property", "Fastighet", "Property"),
    Source("public_transport", "Kollektivtrafik", "Public transport"),
    Source("street_park", "Gata och park", "Street and park"),
    Source("municipal_staff", "Kommunens personal", "Municipal staff"),
)

KINDS = ("incident", "qol")
KIND_LABELS = {
    "incident": {"sv": "Brott och incidenter", "en": "Incidents"},
    "qol": {"sv": "Livskvalitetsbrott", "en": "Quality-of-life offences"},
}
CATEGORY_BY_CODE = {c.code: c for c in CATEGORIES}
SOURCE_BY_CODE = {s.code: s for s in SOURCES}
SENSITIVE_CODES = frozenset(c.code for c in CATEGORIES if c.sensitive)


def category_label(code: str, lang: str) -> str:
    cat = CATEGORY_BY_CODE.get(code)
    if cat is None:
        return code
    return cat.label_sv if lang == "sv" else cat.label_en


def source_label(code: str, lang: str) -> str:
    src = SOURCE_BY_CODE.get(code)
    if src is None:
        return code
    return src.label_sv if lang == "sv" else src.label_en


def kind_label(kind: str, lang: str) -> str:
    return KIND_LABELS.get(kind, {}).get(lang, kind)


def seed_taxonomy(cur) -> None:
    """Insert or update the categories and sources (inside the caller's transaction)."""
    for order, c in enumerate(CATEGORIES):
        cur.execute(
            "INSERT OR REPLACE INTO categories VALUES ($code, $kind, $sv, $en, $sensitive, $order)",
            {"code": c.code, "kind": c.kind, "sv": c.label_sv, "en": c.label_en,
             "sensitive": c.sensitive, "order": order},
        )
    for order, s in enumerate(SOURCES):
        cur.execute(
            "INSERT OR REPLACE INTO sources VALUES ($code, $sv, $en, $order)",
            {"code": s.code, "sv": s.label_sv, "en": s.label_en, "order": order},
        )
