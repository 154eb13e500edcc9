"""Item models over lists of the core's plain dataclasses: clients, assessments, library, import preview,
section scores. Each view has one model; the models never read files themselves."""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ui import theme
from vciso import numbers as num

Index = QModelIndex | QPersistentModelIndex
SubtitleRole = Qt.ItemDataRole.UserRole + 1
SearchRole = Qt.ItemDataRole.UserRole + 2
ErrorRole = Qt.ItemDataRole.UserRole + 3
ObjectRole = Qt.ItemDataRole.UserRole + 4
SortRole = Qt.ItemDataRole.UserRole + 5


def refilter(proxy: Any, change: Any) -> None:
    """Change a proxy's filter settings and re-filter (the Qt 6.10+ way when available)."""
    if hasattr(proxy, "beginFilterChange"):
        proxy.beginFilterChange()
        change()
        proxy.endFilterChange()
    else:  # pragma: no cover - older PySide6
        change()
        proxy.invalidateFilter()


def friendly_time(iso: str) -> str:
    """'today 10:42', '3 Mar 2025' from an ISO timestamp (stored in UTC)."""
    import datetime as dt  # here: not needed before the window's first paint

    if not iso:
        return ""
    try:
        stamp = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone()
    if stamp.date() == dt.date.today():
        return f"today {stamp:%H:%M}"
    return num.short_date(stamp.date())


# The app's forms of a score and a percentage (vciso.numbers), named once for its tables and dashboard.
def fmt(value: float | None, digits: int = 1) -> str:
    """A score as the app shows it: 3.0, 2.3 (vciso.numbers.score_fixed)."""
    return num.score_fixed(value, digits)


def pct(value: float | None) -> str:
    """A fraction as the app shows it: 34% (vciso.numbers.percent)."""
    return num.percent(value, negative_zero=True)


class HeaderMixin:
    """Horizontal header labels from the model's HEADERS (put before the Qt model class)."""

    HEADERS: tuple[str, ...] = ()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None


class RowTableModel(HeaderMixin, QAbstractTableModel):
    """A flat table over `self._rows`, one column per header."""

    _rows: list

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)


class ClientListModel(QAbstractListModel):
    """The workspace's client files (`ClientListing`), damaged ones included with their error."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_listings(self, listings: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(listings)
        self.endResetModel()

    def listing(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, file_id: str) -> int:
        return next((i for i, entry in enumerate(self._rows) if entry.file_id == file_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.name if entry.ok else entry.path.name
        if role == SubtitleRole:
            if getattr(entry, "locked", False):
                return "Locked (encrypted) — select it to enter its passphrase"
            if not entry.ok:
                return "Cannot be opened — select it for details"
            parts = [entry.profile.industry] if entry.profile.industry else []
            count = entry.assessment_count
            parts.append(f"{count} assessment{'s' if count != 1 else ''}")
            if entry.last_updated:
                parts.append(f"updated {friendly_time(entry.last_updated)}")
            return " · ".join(parts)
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.error or f"{entry.name}\n{entry.path}"
        if role == SearchRole:
            if not entry.ok:
                return entry.path.name
            return " ".join((entry.name, entry.profile.industry, entry.profile.contact, entry.file_id))
        locked = getattr(entry, "locked", False)  # encrypted, not damaged: never shown as an error
        if role == ErrorRole:
            return "" if locked else entry.error
        if role == ObjectRole:
            return entry
        if role == Qt.ItemDataRole.ForegroundRole and not entry.ok and not locked:
            return QColor(theme.BAD)
        return None


class AssessmentListModel(QAbstractListModel):
    """One client's assessments (`Assessment`), newest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_assessments(self, assessments: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = sorted(assessments, key=lambda a: (a.assessment_date, a.id), reverse=True)
        self.endResetModel()

    def assessments(self) -> list[Any]:
        return list(self._rows)

    def assessment(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, assessment_id: int) -> int:
        return next((i for i, a in enumerate(self._rows) if a.id == assessment_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.name
        if role == SubtitleRole:
            parts = [item.questionnaire_title, item.assessment_date]
            if item.based_on is not None:
                earlier = next((a for a in self._rows if a.id == item.based_on), None)
                parts.append(f"follow-up of {earlier.name}" if earlier else "follow-up")
            if item.status and item.status != "in progress":
                parts.append(item.status)
            return " · ".join(parts)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{item.name}\n{item.questionnaire_title} {item.questionnaire_version}\n"
                    f"Assessed by {item.assessor or '—'} on {item.assessment_date}")
        if role == ObjectRole:
            return item
        return None


class LibraryTableModel(RowTableModel):
    """The questionnaire library (`LibraryEntry`): title, id, version, source, licence, questions."""

    HEADERS = ("Title", "ID", "Version", "Questions", "Source", "Licence")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_entries(self, entries: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> Any:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        q = entry.questionnaire
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            origin = "Bundled" if entry.bundled else f"Imported · {entry.path.name}"
            values = (q.title, q.id, q.version, q.question_count, origin, q.licence or "—")
            value = values[column]
            if role == Qt.ItemDataRole.DisplayRole and isinstance(value, int):
                return str(value)
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{q.title}\n{q.description}\n\nSource: {q.source or '—'}\nFile: {entry.path}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ObjectRole:
            return entry
        return None


class ImportPreviewModel(RowTableModel):
    """What importing answers would do: one row per new, changed or unchanged answer."""

    HEADERS = ("Change", "Question", "Before", "After", "What changes")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str, str, str]] = []

    def set_plan(self, plan: Any, describe: Any) -> None:
        """Fill from an `ImportPlan`; `describe(response)` renders one answer as text."""
        from vciso.answer_import import changed_fields

        rows = [("Changed", after.question_id, describe(before), describe(after),
                 ", ".join(changed_fields(before, after))) for before, after in plan.changed]
        rows += [("New", r.question_id, "—", describe(r), "new answer") for r in plan.new]
        rows += [("Unchanged", r.question_id, describe(r), describe(r), "—") for r in plan.unchanged]
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and row[0] == "Unchanged":
            return QColor(theme.MUTED)
        return None


class SectionScoreModel(HeaderMixin, QAbstractItemModel):
    """The dashboard's per-section table: a tree of `NodeScore`, with the change since the earlier
    assessment for top-level sections of a follow-up."""

    HEADERS = ("Section", "Current", "Target", "Avg shortfall", "% to target", "Completion", "Change")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._nodes: list[Any] = []          # every NodeScore, flat
        self._parent: list[int] = []         # parent position, -1 for domains
        self._children: dict[int, list[int]] = {-1: []}
        self._changes: dict[str, float | None] = {}

    def set_scores(self, domains: Sequence[Any], changes: dict[str, float | None] | None = None) -> None:
        self.beginResetModel()
        self._nodes, self._parent, self._children = [], [], {-1: []}
        self._changes = dict(changes or {})

        def add(node: Any, parent: int) -> None:
            position = len(self._nodes)
            self._nodes.append(node)
            self._parent.append(parent)
            self._children[parent].append(position)
            self._children[position] = []
            for child in node.children:
                add(child, position)

        for domain in domains:
            add(domain, -1)
        self.endResetModel()

    def node(self, index: Index) -> Any:
        return self._nodes[index.internalId()] if index.isValid() else None

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        key = parent.internalId() if parent.isValid() else -1
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        children = self._children.get(key, [])
        if not 0 <= row < len(children) or not 0 <= column < len(self.HEADERS):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self._parent[index.internalId()]
        if parent == -1:
            return QModelIndex()
        grand = self._parent[parent]
        return self.createIndex(self._children[grand].index(parent), 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid():
            return len(self._children.get(parent.internalId(), [])) if parent.column() == 0 else 0
        return len(self._children[-1])

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return node.title
            if column == 1:
                return fmt(node.current)
            if column == 2:
                return fmt(node.target)
            if column == 3:
                return fmt(node.gap)
            if column == 4:
                return pct(node.percent_to_target)
            if column == 5:
                return f"{pct(node.completion)} ({node.complete}/{node.total})"
            return num.change(self._changes.get(node.id))
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == 6:
            change = self._changes.get(node.id)
            if change:
                return QColor(theme.GOOD if change > 0 else theme.BAD)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return f"{node.title}: {node.answered} answered, {node.not_applicable} N/A, {node.unanswered} unanswered"
        return None
