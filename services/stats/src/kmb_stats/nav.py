"""What stats declares to the other services (entry point ``kmb.services``): its default port and its
links in the shared navigation, with the roles that see them."""

from kmb_shared.auth import Role
from kmb_shared.web.navigation import NavItem, ServiceManifest

SERVICE = ServiceManifest(
    "stats",
    port=8005,
    nav=(
        NavItem("Statistika", "/dashboard", (Role.ANALYST, Role.WORKER, Role.ADMIN), order=90),
        NavItem("Výkazy", "/reports", (Role.ANALYST, Role.ADMIN), order=100),
        NavItem("Audit", "/audit", (Role.AUDITOR, Role.ADMIN), order=110),
    ),
)
