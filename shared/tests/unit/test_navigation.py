"""The navigation is what the installed services declare (entry points ``kmb.services``)."""

from __future__ import annotations

import pytest

from kmb_shared.auth import Role
from kmb_shared.web import installed_services, navigation, service_urls


def test_the_five_services_declare_themselves_with_their_own_ports() -> None:
    ports = {name: manifest.port for name, manifest in installed_services().items()}
    assert ports == {"intake": 8001, "assessment": 8002, "catalogue": 8003, "referrals": 8004, "stats": 8005}


@pytest.mark.parametrize(
    ("role", "labels"),
    [
        (
            Role.WORKER,
            [
                "Můj stůl",
                "Upozornění",
                "Nový kontakt",
                "Nový případ",
                "Případy",
                "Evidence",
                "Katalog",
                "Statistika",
            ],
        ),
        (Role.PARTNER, ["Doručené"]),
        (Role.ANALYST, ["Statistika", "Výkazy"]),
        (Role.CATALOGUE_EDITOR, ["Katalog"]),
        (Role.RULES_EDITOR, ["Pravidla posouzení"]),
        (Role.AUDITOR, ["Případy", "Evidence", "Audit", "Výpis pro subjekt údajů"]),
        (Role.ADMIN, ["Statistika", "Výkazy", "Audit", "Partneři", "Uživatelé", "Výmaz údajů"]),
    ],
)
def test_each_role_sees_the_links_of_its_work_in_one_order(role: Role, labels: list[str]) -> None:
    assert [item.label for _, item in navigation() if role in item.roles] == labels


def test_a_service_address_follows_its_port_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KMB_STATS_PORT", "9005")
    monkeypatch.setenv("KMB_INTAKE_PUBLIC_URL", "https://kmb.example.cz/")
    urls = service_urls()
    assert urls["stats"] == "http://127.0.0.1:9005"
    assert urls["intake"] == "https://kmb.example.cz"
