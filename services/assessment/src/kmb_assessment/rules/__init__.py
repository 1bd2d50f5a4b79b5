"""Versioned rule sets of the unified assessment of housing need (YAML data files).

Each ``*.yaml`` file here is one complete, dated rule set; see ``kmb_assessment.domain.loading``.
"""
