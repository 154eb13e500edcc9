"""vCISO Workbench core: questionnaires, client files, scoring, roadmap and importers (no Qt)."""

__version__ = "0.1.0"
