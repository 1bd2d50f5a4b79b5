"""Demo catalogue of the fictional town "Město Lipovec (DEMO)": every entry is marked as demo."""

from .loader import (
    DEMO_DATA_FILE,
    DEMO_MUNICIPALITY,
    LIPOVEC,
    ShippedDemoCatalogue,
    demo_contact_point,
    demo_leaflet,
    load_demo_catalogue,
)

__all__ = [
    "DEMO_DATA_FILE",
    "DEMO_MUNICIPALITY",
    "LIPOVEC",
    "ShippedDemoCatalogue",
    "demo_contact_point",
    "demo_leaflet",
    "load_demo_catalogue",
]
