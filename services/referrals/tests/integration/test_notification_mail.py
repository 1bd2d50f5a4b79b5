"""Notifications by e-mail through a local SMTP server (aiosmtpd), on the real broker: a partner's decline
reaches the worker's own address once, with the case number and the reason in Czech and nothing of the
client or the partner's note; a worker who gave no address of their own gets no e-mail; off by default."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from uuid import uuid4

import pytest
from aiosmtpd.controller import Controller

from kmb_testkit.probe import wait_until

from .conftest import ServiceFactory
from .support import partner_user

pytestmark = pytest.mark.kafka

DOMOV = partner_user("ngo-domov")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


async def test_a_decline_is_mailed_once_to_the_workers_own_address(
    service_factory: ServiceFactory, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    settings = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": "kmb@lipovec.cz", "mail_interval_s": 0.1,
                "contact_point_email": "podatelna@lipovec.cz"}  # fmt: skip
    async with service_factory(**settings) as referrals:
        await referrals.partner("ngo-domov", ["social_work", "debt_advice"])
        case_id = uuid4()
        await referrals.open_case(case_id, number=9)
        own = {"name": "Eva Malá", "email": "eva.mala@lipovec.cz", "phone": "+420 601 111 222"}
        mailed = await referrals.referral(case_id, "ngo-domov", "social_work", worker=own)
        shared = await referrals.referral(case_id, "ngo-domov", "debt_advice")  # the contact point's address
        await referrals.step(
            mailed["id"], "decline", {"reason": "no_capacity", "note": "Nováková volala"}, as_=DOMOV
        )
        await referrals.step(shared["id"], "accept", as_=DOMOV)

        async def all_handled() -> bool:
            return len(await referrals.get("/api/notifications")) == 2 and bool(inbox.messages)

        await wait_until(all_handled)
        await referrals.step(
            mailed["id"], "cancel", {"reason": "vyřešeno"}
        )  # not notified: nothing more to mail

    [message] = inbox.messages  # once; the acceptance had only the shared address
    assert (message["To"], message["From"]) == ("eva.mala@lipovec.cz", "kmb@lipovec.cz")
    assert message["Subject"] == "KMB: upozornění k případu KMB-2026-00009"
    body = message.get_content()
    assert "odmítl předání „Sociální práce“ k případu KMB-2026-00009. Důvod: Nedostatečná kapacita." in body
    assert "Nováková" not in body and "Eva Malá" not in body


async def test_no_mail_without_an_smtp_server(
    service_factory: ServiceFactory, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    async with service_factory() as referrals:
        await referrals.partner("ngo-domov", ["social_work"])
        made = await referrals.referral(
            uuid4(), "ngo-domov", "social_work", worker={"email": "eva.mala@lipovec.cz"}
        )
        await referrals.step(made["id"], "decline", {"reason": "no_capacity"}, as_=DOMOV)
        assert len(await referrals.get("/api/notifications")) == 1
    assert inbox.messages == []
