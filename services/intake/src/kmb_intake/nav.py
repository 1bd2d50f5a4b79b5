"""What intake declares to the other services (entry point ``kmb.services``): its default port and its
links in the shared navigation, with the roles that see them."""

from kmb_shared.auth import Role
from kmb_shared.web.navigation import NavItem, ServiceManifest

SERVICE = ServiceManifest(
    "intake",
    port=8001,
    nav=(
        NavItem("Můj stůl", "/desk", (Role.WORKER,), order=10),
        NavItem("Nový kontakt", "/contacts/new", (Role.WORKER,), order=20),
        NavItem("Nový případ", "/cases/new", (Role.WORKER,), order=30),
        NavItem("Případy", "/cases", (Role.WORKER, Role.AUDITOR), order=40),
        NavItem("Uživatelé", "/admin/users", (Role.ADMIN,), order=130),
        NavItem("Výpis pro subjekt údajů", "/audit/subject-report", (Role.AUDITOR,), order=140),
        NavItem("Výmaz údajů", "/admin/erasure", (Role.ADMIN,), order=135),
    ),
)
