"""The pure domain of the stats service: the projection state, queries, suppression and reports.

No web, Kafka, database or clock code lives here. The application folds events into a
:data:`State` (see :mod:`kmb_stats.application.projection`), proves replays with :func:`digest`,
and serves :func:`summary`, :func:`breakdown`, :func:`time_series` and :func:`build_report`;
the adapters render reports (CSV, JSON, XLSX, PDF, charts).
"""

from .facts import Filters
from .measures import FLOW_METRICS, STOCK_METRICS
from .meta import EventMeta
from .period import Period
from .queries import DIMENSIONS, breakdown, summary, time_series
from .report import build_report
from .report_codec import report_dict, report_from_dict
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
    "Report",
    "Row",
    "Section",
    "State",
    "Table",
    "breakdown",
    "build_report",
    "canonical_json",
    "digest",
    "load_state",
    "new_state",
    "plan_suppression",
    "report_dict",
    "report_from_dict",
    "summary",
    "suppress_tables",
    "time_series",
]
