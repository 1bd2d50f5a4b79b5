"""The personal-data scan (issue 14): each kind found as entered and as written differently, patterns
for what was not given, nothing in ids, pseudonyms, timestamps or the contact point's own line."""

from __future__ import annotations

import json

from kmb_cli.ops.kafka_io import Record
from kmb_cli.ops.personal_data import (
    ADDRESS,
    BIRTH_NUMBER,
    EMAIL,
    FREE_TEXT,
    NAME,
    PHONE,
    WORKER_CONTACT,
    PersonalValue,
    Scanner,
    household_values,
)

VALUES = [
    PersonalValue(NAME, "Zbyňka"),
    PersonalValue(NAME, "Qwertyová"),
    PersonalValue(PHONE, "+420 601 234 567"),
    PersonalValue(EMAIL, "zbynka.qwertyova@posta-test.cz"),
    PersonalValue(ADDRESS, "Xyzova 771"),
    PersonalValue(BIRTH_NUMBER, "7759291243"),
]


def record(value: object, headers: tuple[tuple[str, bytes], ...] = (), key: bytes | None = None) -> Record:
    body = value if isinstance(value, bytes) else json.dumps(value).encode()  # json.dumps escapes: \u0148
    return Record("t", 0, 7, key, body, headers)


def kinds(value: object, scanner: Scanner | None = None, **options: object) -> list[tuple[str, str]]:
    found = (scanner or Scanner(VALUES)).scan(record(value, **options))  # type: ignore[arg-type]
    return sorted((f.kind, f.how) for f in found)


def test_each_entered_value_is_found_however_it_is_written() -> None:
    assert kinds({"note": "Volat ZBYNCE? ne: zbyňka"}) == [(NAME, "value")]
    assert kinds({"client": {"full_name": "Zbyňka Qwertyová"}}) == [(NAME, "value"), (NAME, "value")]
    assert kinds({"n": "qwertyova"}, Scanner(VALUES, patterns=False)) == [(NAME, "value")]
    for phone in ("+420 601 234 567", "+420601234567", "601234567", "601-234-567", "00420 601 234 567"):
        assert (PHONE, "value") in kinds({"p": phone}), phone
    assert kinds({"a": "Bydlí v ulici XYZOVA 771, Lipovec"}) == [(ADDRESS, "value")]
    assert (EMAIL, "value") in kinds({"e": "Zbynka.Qwertyova@posta-test.cz"})
    assert (BIRTH_NUMBER, "value") in kinds({"rc": "775929/1243"})
    assert (BIRTH_NUMBER, "value") in kinds({"rc": "7759291243"})


def test_a_value_in_a_key_or_a_header_is_found_too() -> None:
    found = Scanner(VALUES, patterns=False).scan(
        record({}, headers=(("ce_subject", b"Xyzova 771"),), key=b"601234567")
    )
    assert sorted((f.where, f.kind) for f in found) == [("header ce_subject", ADDRESS), ("key", PHONE)]


def test_patterns_find_what_was_not_given_and_skip_the_contact_points_own_line() -> None:
    scanner = Scanner([], allowed=("+420 800 100 200", "kmb@lipovec.example"))
    assert kinds({"x": "Volejte 777 888 999 nebo jana@example.cz, RČ 7759291243"}, scanner) == [
        (BIRTH_NUMBER, "pattern"),
        (EMAIL, "pattern"),
        (PHONE, "pattern"),
    ]
    assert kinds({"worker": {"phone": "+420 800 100 200", "email": "kmb@lipovec.example"}}, scanner) == []


def test_ids_pseudonyms_timestamps_and_codes_are_not_personal_data() -> None:
    clean = {
        "referral_id": "7d9e4a4c-0000-4000-8000-601234567000",
        "event": "123456789abc-4000-8000-000000000001",
        "case_reference": "P-0123456789ABCDEF",
        "number": "KMB-2026-00042",
        "on": "2026-03-02T10:00:00.123456+00:00",
        "amount": 11000,
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "kind_label": "Asistence v bydlení (§ 22)",
    }
    headers = (("ce_id", b"5e8f2c1a-7759-4291-8243-601234567890"), ("ce_time", b"2026-03-02T10:00:00Z"))
    assert kinds(clean, headers=headers) == []
    # a birth-number-like run with an impossible month, or not divisible by 11, is not one
    assert kinds({"x": "7713291243 7759291244"}, Scanner([])) == []


def test_the_findings_are_masked() -> None:
    found = Scanner(VALUES).scan(record({"e": "zbynka.qwertyova@posta-test.cz"}))
    assert sorted(f.kind for f in found) == [EMAIL, NAME, NAME], "the name in the address is a name too"
    [finding] = [f for f in found if f.kind == EMAIL and f.how == "value"]
    assert finding.masked == "z…z" and "qwerty" not in finding.line_cs()
    assert finding.line_cs() == "t [0] @7 (value): e-mail z…z (zadaná hodnota)"


def test_the_values_of_a_household_as_intake_stores_it() -> None:
    household = {
        "members": [{"first_name": "Zbyňka", "last_name": "Qwertyová", "birth_number": "7759291243"}],
        "phone": "+420601234567",
        "email": "zbynka.qwertyova@posta-test.cz",
        "address": {"street": "Xyzova 771", "district": "Lipovec-sever"},
    }
    assert sorted((v.kind, v.value) for v in household_values(household)) == sorted(
        [
            (NAME, "Zbyňka"),
            (NAME, "Qwertyová"),
            (BIRTH_NUMBER, "7759291243"),
            (PHONE, "+420601234567"),
            (EMAIL, "zbynka.qwertyova@posta-test.cz"),
            (ADDRESS, "Xyzova 771"),
        ]
    )


def test_on_a_partner_topic_the_workers_contact_and_free_text_of_earlier_versions_are_flagged() -> None:
    scanner = Scanner([], patterns=False)
    v2 = {
        "worker": {"name": "Bc. Jana Pracovnice", "organisation": "kmb", "phone": "+420 800 100 200"},
        "disclosure_basis": "§ 18 podle dopisu",
        "note": "  ",
    }
    v3 = {"legal_basis": "public_task", "details": "/api/partner/ngo-x/referrals/1", "state": "made"}
    on_partner_topic = scanner.scan(Record("p-kmb.partner.ngo-x.v1", 0, 3, None, json.dumps(v2).encode()))

    assert sorted((f.where, f.kind, f.how, f.masked) for f in on_partner_topic) == [
        ("value disclosure_basis", FREE_TEXT, "field", "§…u"),
        ("value worker", WORKER_CONTACT, "field", "B…0"),
    ]
    assert any("kontakt na pracovníka B…0 (pole zprávy partnerovi)" in f.line_cs() for f in on_partner_topic)
    coded = {**v2, "worker": None, "disclosure_basis": "legal_obligation"}
    assert scanner.scan(Record("kmb.partner.ngo-x.v1", 0, 4, None, json.dumps(coded).encode())) == []
    assert scanner.scan(Record("kmb.partner.ngo-x.v1", 0, 5, None, json.dumps(v3).encode())) == []
    assert scanner.scan(Record("kmb.referrals.v1", 0, 5, None, json.dumps(v2).encode())) == []
