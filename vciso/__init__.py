"""vCISO Workbench core: questionnaires, client files, scoring, roadmap and importers (no Qt)."""

__version__ = "0.1.0"

# the brand colour of deliverables without a firm colour of its own; here rather than in vciso.branding so
# that the app can paint its first frame in it without loading dataclasses
DEFAULT_ACCENT = "#1F4E79"
