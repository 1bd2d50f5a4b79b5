"""What catalogue declares to the other services (entry point ``kmb.services``): its default port and its
links in the shared navigation, with the roles that see them."""

from kmb_shared.auth import Role
from kmb_shared.web.navigation import NavItem, ServiceManifest

SERVICE = ServiceManifest(
    "catalogue",
    port=8003,
    nav=(NavItem("Katalog", "/catalogue", (Role.WORKER, Role.CATALOGUE_EDITOR), order=70),),
)
