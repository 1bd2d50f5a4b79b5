"""Driving synthetic histories through the services' real HTTP APIs, step by step for all cases (so the
events of one step have been consumed before the next step needs them).

Each step is taken only if the service's OpenAPI document lists its endpoint; a missing endpoint or a
refused request is skipped with a warning, and the run goes on with what it can do.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from .demo_gen import NOTE, DemoCase
from .demo_situations import FALLBACK_PARTNERS
from .kafka_io import api_headers

Advance = Callable[[], None]


class ServiceDown(RuntimeError):
    pass


@dataclass
class Opened:
    plan: DemoCase
    case_id: str
    number: str
    assessment_id: str | None = None
    referrals: list[tuple[str, str, str | None, str]] = field(
        default_factory=list
    )  # id, slug, response, reason


class DemoRun:
    def __init__(self, urls: dict[str, str], timeout: float = 15.0) -> None:
        self.urls = urls
        self.http = httpx.Client(timeout=timeout)
        self.paths: dict[str, set[tuple[str, str]]] = {}
        self.counts: Counter[str] = Counter()
        self.warnings: dict[str, str] = {}
        self._headers: dict[tuple[str, str, frozenset[str]], dict[str, str]] = {}

    # --- plumbing ---------------------------------------------------------------------------------

    def discover(self) -> None:
        for name, url in self.urls.items():
            try:
                document = self.http.get(f"{url}/openapi.json").json()
            except (httpx.HTTPError, ValueError) as exc:
                raise ServiceDown(f"služba {name} na {url} neodpovídá ({exc}); spusťte `kmb up`") from None
            self.paths[name] = {(m.upper(), p) for p, ops in document.get("paths", {}).items() for m in ops}

    def has(self, service: str, method: str, path: str) -> bool:
        if (method, path) in self.paths.get(service, set()):
            return True
        self.warn(f"missing {service} {method} {path}", f"{service}: chybí {method} {path} – krok vynechán")
        return False

    def warn(self, key: str, message: str) -> None:
        self.warnings.setdefault(key, message)

    def as_user(self, user: str, org: str = "kmb", roles: Iterable[str] = ("worker",)) -> dict[str, str]:
        key = (user, org, frozenset(roles))
        if key not in self._headers:
            self._headers[key] = api_headers(user, key[2], org)
        return self._headers[key]

    def call(
        self, step: str, service: str, method: str, path: str, headers: dict[str, str], body: Any = None
    ) -> Any:
        """The JSON answer, or None (with one warning per step and status) when refused."""
        try:
            response = self.http.request(method, self.urls[service] + path, headers=headers, json=body)
        except httpx.HTTPError as exc:
            self.warn(f"{step} error", f"{step}: {service} neodpověděl ({exc})")
            self.counts[f"{step} (chyba)"] += 1
            return None
        if response.status_code >= 400:
            self.warn(
                f"{step} {response.status_code}", f"{step}: HTTP {response.status_code} {response.text[:300]}"
            )
            self.counts[f"{step} (odmítnuto)"] += 1
            return None
        self.counts[step] += 1
        return response.json() if response.content else {}

    # --- steps ------------------------------------------------------------------------------------

    def load_catalogue(self) -> None:
        if self.has("catalogue", "POST", "/api/demo/load"):
            admin = self.as_user("demo-loader", roles=("admin",))
            result = self.call("katalog", "catalogue", "POST", "/api/demo/load", admin)
            if result:
                self.counts["katalog: nové položky"] += len(result.get("created", []))

    def load_partners(self) -> dict[str, tuple[str, ...]]:
        """Register the demo partners if the service can; the partners and the kinds each accepts."""
        admin = self.as_user("demo-loader", roles=("worker", "admin"))
        if self.has("referrals", "POST", "/api/demo/partners"):
            result = self.call("partneři", "referrals", "POST", "/api/demo/partners", admin)
            if result:
                self.counts["partneři: noví"] += len(result.get("created", []))
        if self.has("referrals", "GET", "/api/partners"):
            listed = self.call("seznam partnerů", "referrals", "GET", "/api/partners", admin) or []
            found = {p["slug"]: tuple(p.get("accepted_kinds", ())) for p in listed if p.get("active", True)}
            if found:
                return found
        self.warn("partners fallback", "referrals nezná žádné partnery: použity náhradní zkratky partnerů")
        return dict(FALLBACK_PARTNERS)

    def open_cases(self, plans: list[DemoCase], advance: Advance) -> list[Opened]:
        opened = []
        for plan in plans:
            worker = self.as_user(plan.worker)
            contact = None
            if self.has("intake", "POST", "/api/contacts"):
                contact = self.call("kontakt", "intake", "POST", "/api/contacts", worker, plan.contact)
            body = plan.case | ({"contact_id": contact["id"]} if contact else {})
            case = self.call("případ otevřen", "intake", "POST", "/api/cases", worker, body)
            if case:
                opened.append(Opened(plan, str(case["id"]), str(case["number"])))
                if plan.follow_up and contact:
                    follow_up = plan.follow_up | {"case_id": case["id"]}
                    self.call("další kontakt", "intake", "POST", "/api/contacts", worker, follow_up)
            advance()
        return opened

    def find_assessments(self, cases: list[Opened], advance: Advance, wait_s: float = 30.0) -> None:
        """Assessment opens one per case when it consumes CaseOpened: wait for them (bounded)."""
        if not self.has("assessment", "GET", "/api/cases/{case_id}/assessments"):
            return
        waiting = list(cases)
        deadline = time.monotonic() + wait_s
        while waiting and time.monotonic() < deadline:
            for case in list(waiting):
                path = f"/api/cases/{case.case_id}/assessments"
                rows = self.http.get(self.urls["assessment"] + path, headers=self.as_user(case.plan.worker))
                open_rows = [
                    a for a in (rows.json() if rows.is_success else []) if a.get("status") == "pending"
                ]
                if open_rows:
                    case.assessment_id = str(open_rows[-1]["id"])
                    waiting.remove(case)
                    advance()
            if waiting:
                time.sleep(0.5)
        if waiting:
            self.warn(
                "assessment wait",
                f"šetření: pro {len(waiting)} případů se šetření neobjevilo do {wait_s:.0f} s",
            )

    def assess(self, cases: list[Opened], advance: Advance) -> None:
        survey = self.has("assessment", "PUT", "/api/assessments/{assessment_id}/survey")
        submit = self.has("assessment", "POST", "/api/assessments/{assessment_id}/submit")
        for case in cases:
            if case.assessment_id:
                worker = self.as_user(case.plan.worker)
                base = f"/api/assessments/{case.assessment_id}"
                if survey:
                    self.call(
                        "šetření vyplněno", "assessment", "PUT", f"{base}/survey", worker, case.plan.survey
                    )
                if submit:
                    self.call(
                        "šetření odesláno", "assessment", "POST", f"{base}/submit", worker, {"notes": NOTE}
                    )
            advance()

    def refer(self, cases: list[Opened], advance: Advance) -> None:
        if not self.has("referrals", "POST", "/api/referrals"):
            return
        for case in cases:
            for plan in case.plan.referrals:
                if plan.partner is None:
                    continue
                body = {"case_id": case.case_id, "partner": plan.partner, "kind": plan.kind, "note": NOTE}
                made = self.call(
                    "předáno partnerovi",
                    "referrals",
                    "POST",
                    "/api/referrals",
                    self.as_user(case.plan.worker),
                    body,
                )
                if made:
                    case.referrals.append((str(made["id"]), plan.partner, plan.response, plan.decline_reason))
            advance()

    def respond(self, cases: list[Opened], advance: Advance) -> None:
        base = "/api/partner/{slug}/referrals/{referral_id}"
        can = {
            "accept": self.has("referrals", "POST", base + "/accept"),
            "decline": self.has("referrals", "POST", base + "/decline"),
        }
        for case in cases:
            # declines first: accepting a housing offer cancels the case's other housing searches
            for referral_id, slug, response, reason in sorted(
                case.referrals, key=lambda r: r[2] != "decline"
            ):
                if response is None or not can[response]:
                    continue
                partner = self.as_user(f"{slug}-demo", org=slug, roles=("partner",))
                path = f"/api/partner/{slug}/referrals/{referral_id}/{response}"
                body = {"reason": reason, "note": NOTE} if response == "decline" else None
                step = "partner přijal" if response == "accept" else "partner odmítl"
                self.call(step, "referrals", "POST", path, partner, body)
            advance()

    def close(self, cases: list[Opened], advance: Advance) -> None:
        if not self.has("intake", "POST", "/api/cases/{case_id}/close"):
            return
        for case in cases:
            if case.plan.close_reason:
                body = {"reason": case.plan.close_reason, "note": NOTE}
                path = f"/api/cases/{case.case_id}/close"
                self.call("případ uzavřen", "intake", "POST", path, self.as_user(case.plan.worker), body)
            advance()
