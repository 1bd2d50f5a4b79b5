"""The sign-in throttle's client address: X-Forwarded-For counts only from KMB_TRUSTED_PROXIES."""

from __future__ import annotations

from kmb_intake.entrypoints.security import client_address, trusted_networks


def test_without_trusted_proxies_the_header_is_never_read() -> None:
    assert client_address("127.0.0.1", "203.0.113.9", trusted_networks("")) == "127.0.0.1"


def test_an_untrusted_peer_cannot_choose_its_address() -> None:
    trusted = trusted_networks("10.0.0.1")
    assert client_address("192.0.2.7", "203.0.113.9", trusted) == "192.0.2.7"


def test_a_trusted_proxy_gives_the_nearest_untrusted_hop() -> None:
    trusted = trusted_networks("10.0.0.0/24, 10.0.1.5")
    # the client forged the first entry; the proxies appended what they saw
    assert client_address("10.0.0.1", "1.2.3.4, 198.51.100.2, 10.0.1.5", trusted) == "198.51.100.2"


def test_bad_entries_of_the_setting_are_skipped() -> None:
    assert trusted_networks("nonsense, ,10.0.0.1") == trusted_networks("10.0.0.1")
    assert len(trusted_networks("nonsense, ,10.0.0.1")) == 1
