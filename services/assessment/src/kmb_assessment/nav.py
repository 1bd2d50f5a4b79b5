"""What assessment declares to the other services (entry point ``kmb.services``): its default port and its
links in the shared navigation, with the roles that see them."""

from kmb_shared.auth import Role
from kmb_shared.web.navigation import NavItem, ServiceManifest

SERVICE = ServiceManifest(
    "assessment",
    port=8002,
    nav=(
        NavItem("Evidence", "/register", (Role.WORKER, Role.AUDITOR), order=50),
        NavItem("Pravidla posouzení", "/rules", (Role.RULES_EDITOR,), order=80),
    ),
)
