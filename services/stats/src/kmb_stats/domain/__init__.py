"""The pure domain of the stats service: projection, queries, suppression and reports.

No web, Kafka or database code lives here. The integrator feeds events one at a time to
:class:`Projection` (or :func:`apply_event`), stores :meth:`Projection.to_json`, proves replays
with :func:`digest`, and serves :func:`summary`, :func:`breakdown`, :func:`time_series` and
:func:`build_report` rendered by :func:`to_json`, :func:`to_csv` / :func:`to_csv_bytes` and
:func:`to_xlsx`.
"""

from .facts import Filters
from .measures import FLOW_METRICS, STOCK_METRICS
from .meta import EventMeta
from .period import Period
from .projection import Projection, apply_event
from .queries import DIMENSIONS, breakdown, summary, time_series
from .render import report_dict, to_csv, to_csv_bytes, to_json
from .render_xlsx import to_xlsx
from .report import build_report
from .report_model import Column, Report, Row, Section, Table
from .state import State, canonical_json, digest, load_state, new_state
from .suppression import PRIMARY_MARK, SECONDARY_MARK, Line, plan_suppression, suppress_tables

__all__ = [
    "DIMENSIONS",
    "FLOW_METRICS",
    "PRIMARY_MARK",
    "SECONDARY_MARK",
    "STOCK_METRICS",
    "Column",
    "EventMeta",
    "Filters",
    "Line",
    "Period",
    "Projection",
    "Report",
    "Row",
    "Section",
    "State",
    "Table",
    "apply_event",
    "breakdown",
    "build_report",
    "canonical_json",
    "digest",
    "load_state",
    "new_state",
    "plan_suppression",
    "report_dict",
    "summary",
    "suppress_tables",
    "time_series",
    "to_csv",
    "to_csv_bytes",
    "to_json",
    "to_xlsx",
]
