"""Server-rendered pages: one shared layout, navigation, sign-in state and styles for every service."""

from .pages import NAV, Pages, pages_for, service_urls

__all__ = ["NAV", "Pages", "pages_for", "service_urls"]
