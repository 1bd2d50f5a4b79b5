"""What referrals declares to the other services (entry point ``kmb.services``): its default port and its
links in the shared navigation, with the roles that see them."""

from kmb_shared.auth import Role
from kmb_shared.web.navigation import NavItem, ServiceManifest

SERVICE = ServiceManifest(
    "referrals",
    port=8004,
    nav=(
        NavItem("Upozornění", "/notifications", (Role.WORKER,), order=15),
        NavItem("Doručené", "/partner/inbox", (Role.PARTNER,), order=60),
        NavItem("Partneři", "/partners", (Role.ADMIN,), order=120),
    ),
)
