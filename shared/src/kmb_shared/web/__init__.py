"""Server-rendered pages: one shared layout, navigation, sign-in state and styles for every service,
and the sign-in check of pages (:mod:`kmb_shared.web.guard`)."""

from .guard import (
    LoginRequired,
    PageForbidden,
    forbidden_page,
    install_page_errors,
    login_redirect,
    login_url,
    page_address,
    page_guard,
    return_address,
)
from .navigation import NavItem, ServiceManifest, installed_services, navigation
from .pages import PageHelpers, Pages, pages_for, render_page, see_other, service_urls

__all__ = [
    "LoginRequired",
    "NavItem",
    "PageForbidden",
    "PageHelpers",
    "Pages",
    "ServiceManifest",
    "forbidden_page",
    "install_page_errors",
    "installed_services",
    "login_redirect",
    "login_url",
    "navigation",
    "page_address",
    "page_guard",
    "pages_for",
    "render_page",
    "return_address",
    "see_other",
    "service_urls",
]
