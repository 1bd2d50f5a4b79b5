"""The Czech pages: who may open which, the refer form, the partner's inbox, the CSRF check."""

from __future__ import annotations

from urllib.parse import quote
from uuid import uuid4

import pytest

from kmb_shared.auth import Role
from kmb_shared.web import service_urls

from .pages_support import browser, h1, worker
from .support import Referrals


@pytest.fixture
def referrals(offline_referrals: Referrals) -> Referrals:
    """Pages, roles and forms need no broker: the app without a Kafka consumer, on SQLite."""
    return offline_referrals


async def test_a_signed_out_visitor_is_sent_to_the_login_page_and_back(referrals: Referrals) -> None:
    urls = service_urls()
    case_id = uuid4()
    for path in (
        f"/cases/{case_id}",
        f"/cases/{case_id}/refer?kind=social_work",
        "/partner/inbox",
        "/partners",
    ):
        response = await referrals.client.get(path)
        assert response.status_code == 303, path
        back = quote(f"{urls['referrals']}{path}", safe="")
        assert response.headers["location"] == f"{urls['intake']}/login?next={back}"


async def test_each_page_opens_for_its_roles_only(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    case_id = uuid4()
    made = await referrals.referral(case_id, "ngo-domov", "social_work")
    case_page, refer_page = f"/cases/{case_id}", f"/cases/{case_id}/refer"
    as_worker = worker(referrals)
    partner = browser(referrals, Role.PARTNER, organisation="ngo-domov")
    admin = browser(referrals, Role.ADMIN)
    auditor = browser(referrals, Role.AUDITOR)
    analyst = browser(referrals, Role.ANALYST)

    shown = await as_worker.get(case_page)
    assert shown.status_code == 200
    assert h1(shown.text) == "Předání partnerům"
    assert "Partner ngo-domov" in shown.text and "Zrušit předání" in shown.text
    assert f"{service_urls()['intake']}/cases/{case_id}" in shown.text, "a link back to the case"
    assert h1((await as_worker.get(refer_page)).text) == "Nové předání"
    inbox = await partner.get("/partner/inbox")
    assert inbox.status_code == 200
    assert h1(inbox.text) == "Doručená předání – Partner ngo-domov"
    assert made["id"] in inbox.text
    registry = await admin.get("/partners")
    assert (registry.status_code, h1(registry.text)) == (200, "Partneři")
    audited = await auditor.get(case_page)
    assert audited.status_code == 200 and "Zrušit předání" not in audited.text, "auditors only read"

    refused = [
        (partner, case_page),
        (partner, refer_page),
        (partner, "/partners"),
        (as_worker, "/partner/inbox"),
        (as_worker, "/partners"),
        (admin, case_page),
        (auditor, refer_page),
        (auditor, "/partners"),
        (analyst, case_page),
        (analyst, refer_page),
        (analyst, "/partner/inbox"),
        (analyst, "/partners"),
    ]
    for who, path in refused:
        response = await who.get(path)
        assert response.status_code == 403, path
        assert h1(response.text) == "Přístup odepřen"


async def test_the_refer_form_keeps_what_was_entered_and_says_what_is_missing(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work", "case_conference"])
    await referrals.partner("socialni-odbor", ["case_conference"], kind="social_department")
    case_id = uuid4()
    as_worker = worker(referrals)

    choose = await as_worker.get(f"/cases/{case_id}/refer?kind=social_work")
    # Only the partner that takes social work is offered for it.
    assert 'value="ngo-domov"' in choose.text and 'value="socialni-odbor"' not in choose.text

    form = {"kind": "social_work", "partner": "", "note": "Volat po 15. hodině", "legal_basis": "§ 18"}
    missing = await as_worker.post(f"/cases/{case_id}/refer", form)
    assert missing.status_code == 422
    assert "Vyberte partnera." in missing.text
    assert "Volat po 15. hodině</textarea>" in missing.text
    assert 'value="§ 18"' in missing.text

    conference = {"kind": "case_conference", "partners": ["socialni-odbor"], "note": "Úterý 10:00"}
    too_few = await as_worker.post(f"/cases/{case_id}/refer", conference)
    assert too_few.status_code == 422
    assert "alespoň dva partnery" in too_few.text
    assert 'value="socialni-odbor" checked' in too_few.text
    assert 'value="ngo-domov" checked' not in too_few.text
    assert "Úterý 10:00</textarea>" in too_few.text
    assert await referrals.get("/api/referrals", case_id=str(case_id)) == [], "nothing was referred"


async def test_a_worker_refers_and_convenes_through_the_forms(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work", "case_conference"])
    await referrals.partner("socialni-odbor", ["case_conference"], kind="social_department")
    case_id = uuid4()
    as_worker = worker(referrals)

    single = {"kind": "social_work", "partner": "ngo-domov", "note": ""}
    made = await as_worker.post(f"/cases/{case_id}/refer", single)
    assert made.status_code == 303, made.text
    assert made.headers["location"] == f"/cases/{case_id}?saved=referred"
    both = {"kind": "case_conference", "partners": ["ngo-domov", "socialni-odbor"]}
    convened = await as_worker.post(f"/cases/{case_id}/refer", both)
    assert convened.headers["location"] == f"/cases/{case_id}?saved=conference"

    listed = await referrals.get("/api/referrals", case_id=str(case_id))
    # 1 referral + 2 conference invitations = 3
    assert sorted((r["partner"], r["kind"]) for r in listed) == [
        ("ngo-domov", "case_conference"),
        ("ngo-domov", "social_work"),
        ("socialni-odbor", "case_conference"),
    ]
    assert {r["made_by"] for r in listed} == {"worker-7"}
    page = await as_worker.get(f"/cases/{case_id}?saved=referred")
    assert "Předání bylo odesláno partnerovi." in page.text
    assert page.text.count("případová konference") == 2


async def test_a_form_without_its_csrf_token_is_refused(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    case_id = uuid4()
    made = await referrals.referral(case_id, "ngo-domov", "social_work")
    form = {"kind": "social_work", "partner": "ngo-domov"}

    forged = await worker(referrals).post(f"/cases/{case_id}/refer", form, csrf=False)
    assert forged.status_code == 403
    assert h1(forged.text) == "Formulář nelze přijmout"
    partner = browser(referrals, Role.PARTNER, organisation="ngo-domov")
    assert (await partner.post(f"/partner/inbox/{made['id']}/accept", csrf=False)).status_code == 403
    cancel = await worker(referrals).post(f"/cases/{case_id}/referrals/{made['id']}/cancel", csrf=False)
    assert cancel.status_code == 403
    listed = await referrals.get("/api/referrals", case_id=str(case_id))
    assert [(r["id"], r["status"]) for r in listed] == [(made["id"], "made")], "nothing changed"


async def test_the_partner_accepts_through_its_inbox_and_the_event_is_published(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    await referrals.partner("ngo-dluhova-poradna", ["debt_advice"])
    mine = await referrals.referral(uuid4(), "ngo-domov", "social_work")
    other = await referrals.referral(uuid4(), "ngo-domov", "social_work")
    theirs = await referrals.referral(uuid4(), "ngo-dluhova-poradna", "debt_advice")
    partner = browser(referrals, Role.PARTNER, organisation="ngo-domov", user="domov-jana")

    inbox = await partner.get("/partner/inbox")
    assert mine["id"] in inbox.text and theirs["id"] not in inbox.text
    accepted = await partner.post(f"/partner/inbox/{mine['id']}/accept")
    assert accepted.status_code == 303, accepted.text
    assert accepted.headers["location"] == "/partner/inbox?saved=accepted"
    assert (await partner.post(f"/partner/inbox/{theirs['id']}/accept")).status_code == 404

    unexplained = await partner.post(
        f"/partner/inbox/{other['id']}/decline", {"reason": "other", "note": " "}
    )
    assert unexplained.status_code == 422
    assert '<option value="other" selected>' in unexplained.text, "the chosen reason is kept"
    note_error = f'<p class="error" id="{other["id"]}-decline-note-e">Při odmítnutí z jiného důvodu'
    assert note_error in unexplained.text, "the error sits at the note of that referral's form"

    events = await referrals.events(expect=4)  # 3 made + 1 accepted
    [event] = [e for e in events if e.type == "kmb.referrals.referral_accepted.v1"]
    assert event.data["referral_id"] == mine["id"]
    assert event.data["actor"] == {"user_id": "domov-jana", "organisation": "ngo-domov"}
    assert (await referrals.get(f"/api/referrals/{theirs['id']}"))["status"] == "made"


async def test_a_worker_cancels_a_referral_and_sees_the_alert_after_a_late_decline(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-domov", ["social_work", "debt_advice"])
    case_id = uuid4()
    kept = await referrals.referral(case_id, "ngo-domov", "social_work")
    dropped = await referrals.referral(case_id, "ngo-domov", "debt_advice")
    await referrals.step(kept["id"], "accept")
    await referrals.step(kept["id"], "decline", {"reason": "client_unreachable"})
    as_worker = worker(referrals)

    page = await as_worker.get(f"/cases/{case_id}")
    assert "odmítl předání „Sociální práce“ poté, co je přijal" in page.text
    assert "Klient je nedostupný" in page.text
    cancelled = await as_worker.post(
        f"/cases/{case_id}/referrals/{dropped['id']}/cancel", {"reason": "Dluhy vyřešeny."}
    )
    assert cancelled.headers["location"] == f"/cases/{case_id}?saved=cancelled"
    again = await as_worker.post(f"/cases/{case_id}/referrals/{dropped['id']}/cancel")
    assert again.status_code == 409, "a cancelled referral cannot be cancelled again"
    dismissed = await as_worker.post(f"/cases/{case_id}/alerts/{kept['id']}/dismiss")
    assert dismissed.status_code == 303
    assert await referrals.get("/api/alerts") == []
    assert (await referrals.get(f"/api/referrals/{dropped['id']}"))["cancel_reason"] == "Dluhy vyřešeny."
