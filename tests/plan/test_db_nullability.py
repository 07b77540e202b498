"""Nullability in a db plan's words: a "required" marker says NOT NULL, "required" describing the column does not."""

from __future__ import annotations

from stage_lsp.plan.db.columns import parse_spec
from tests.plan.dbplan import read, table

NESTED_BULLETS = """\
## 1. Tabele

#### 1.1 `shipments` – przesyłki

- **id**: `uuid`
  - PK, `DEFAULT gen_random_uuid()`, `NOT NULL`
- **special_requirements**: `varchar(500)`
  - wymagania specjalne (np. chłodnia); może być `NULL`
- **required_documents_text**: `varchar(500)`
  - wymagane dokumenty dla kierowcy (np. `CMR`)
- **depot_id**: `uuid`
  - FK → `depots.id`, może być `NULL`
  - oddział użytkownika; wymagany do widoku `/depot`
- **carrier_name**: `varchar(200)`
  - nazwa przewoźnika, wymagane
- **notes**: `text`
  - uwagi (opcjonalne)

#### 1.2 `depots` – oddziały

- **id**: `uuid`
  - PK
"""


def test_polish_required_words_in_descriptions_do_not_mean_not_null() -> None:
    columns = {c.name: c.nullable for c in table(read(NESTED_BULLETS), "shipments").columns}
    assert columns == {
        "id": False,
        "special_requirements": True,  # "wymagania" is a noun; "może być NULL" decides
        "required_documents_text": None,  # "wymagane dokumenty": the column's meaning
        "depot_id": True,  # "może być NULL" outweighs "wymagany do widoku"
        "carrier_name": False,  # "wymagane" as a marker of its own
        "notes": True,
    }


def test_english_required_as_a_marker_and_as_a_description() -> None:
    assert parse_spec("text, required").nullable is False
    assert parse_spec("text (required)").nullable is False
    assert parse_spec("Required").nullable is False
    assert parse_spec("text NOT NULL - required documents").nullable is False
    assert parse_spec("text, required documents for the driver").nullable is None
    assert parse_spec("uuid, required for the admin view").nullable is None
    assert parse_spec("uuid, nullable; required for the admin view").nullable is True
    assert parse_spec("text, the special requirements of the load").nullable is None


MD_TABLE = """\
### parcels
| Column | Type | Constraints | Description |
|---|---|---|---|
| id | uuid | PRIMARY KEY | |
| label | text | required | shown on the parcel |
| customs_note | text | | required customs declaration text |
| weight | numeric | NULL | required for export only |
"""


def test_a_constraints_cell_saying_required_is_not_null() -> None:
    columns = {c.name: c.nullable for c in table(read(MD_TABLE), "parcels").columns}
    assert columns == {"id": False, "label": False, "customs_note": None, "weight": True}
