"""E-mail through the configured SMTP server (the standard library's client, in a worker thread)."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage

from ..config import ReferralsSettings


class SmtpMailer:
    def __init__(self, settings: ReferralsSettings, timeout_s: float = 10.0) -> None:
        assert settings.smtp_host, "no SMTP server configured"
        self.host, self.port, self.sender = settings.smtp_host, settings.smtp_port, settings.smtp_from
        self.starttls, self.timeout_s = settings.smtp_starttls, timeout_s

    def _send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as client:
            if self.starttls:
                client.starttls()
            client.send_message(message)

    async def send(self, to: str, subject: str, body: str) -> None:
        await asyncio.to_thread(self._send, to, subject, body)
