"""The dashboard: overall figures, a radar of current vs target per domain, a gap chart, a section table,
and for a follow-up the change since the earlier assessment. Everything comes from one `Report`."""

from __future__ import annotations

import math
from typing import Any, Callable

from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QComboBox, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QScrollArea,
                               QSizePolicy, QTreeView, QVBoxLayout, QWidget)

from ui import theme
from ui.models import SectionScoreModel, fmt, pct
from vciso import numbers as num
from vciso.narrative import scope_phrase

LABEL_LIMIT = 22


def short(text: str, limit: int = LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class Kpi(QFrame):
    """One headline figure with its caption and a line of context."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        self.caption = QLabel(caption)
        self.caption.setObjectName("kpiLabel")
        self.value = QLabel("—")
        self.value.setObjectName("kpiValue")
        self.detail = QLabel("")
        self.detail.setObjectName("muted")
        self.detail.setWordWrap(True)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 2 + 2)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMinimumWidth(150)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)


class DashboardView(QWidget):
    """Scores of the open assessment; rebuilt from a fresh `Report` whenever it is shown after a change."""

    def __init__(self, ops: Any, settings: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.settings = settings
        self.assessment: Any = None
        self.questionnaire: Any = None  # the open assessment's, whole: the scopes it offers
        self.report: Any = None
        self.stale = True
        self.radar_left_out = 0   # domains with no answers, not drawn on the radar
        self._build()
        ops.changed.connect(self._on_changed)

    def _build(self) -> None:
        from PySide6.QtCharts import QChart, QChartView, QPolarChart

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(12)

        # only for a questionnaire that names tags (e.g. implementation groups): the whole dashboard is then
        # about the questions of the chosen one
        self.scope_row = QWidget()
        scope_layout = QHBoxLayout(self.scope_row)
        scope_layout.setContentsMargins(0, 0, 0, 0)
        scope_caption = QLabel("Scope")
        scope_caption.setObjectName("kpiLabel")
        self.scope_combo = QComboBox()
        self.scope_combo.setToolTip("Score only the questions with this tag (e.g. an implementation group); "
                                    "the exports offer the same scope")
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        scope_caption.setBuddy(self.scope_combo)
        self.scope_combo.currentIndexChanged.connect(self._scope_chosen)
        self.scope_note = QLabel("")  # what a chosen scope means for everything below
        self.scope_note.setObjectName("muted")
        self.scope_note.setWordWrap(True)  # never widens the page past a small window
        scope_layout.addWidget(scope_caption)
        scope_layout.addWidget(self.scope_combo)
        scope_layout.addWidget(self.scope_note, 1)
        self.scope_row.hide()
        layout.addWidget(self.scope_row)

        self.kpi_grid = QGridLayout()
        self.kpi_grid.setSpacing(10)
        self.kpi_current = Kpi("Current maturity")
        self.kpi_target = Kpi("Target")
        self.kpi_completion = Kpi("Completion")
        self.kpi_progress = Kpi("Progress to target")
        self.kpi_change = Kpi("Change since earlier")
        self.kpi_evidence = Kpi("Substantiated")
        self.kpi_evidence.setToolTip("Answers that say how they were established (interview, document, observed, "
                                     "tested): the reports show the confidence each gives")
        self.kpis = [self.kpi_current, self.kpi_target, self.kpi_completion, self.kpi_progress, self.kpi_change,
                     self.kpi_evidence]
        layout.addLayout(self.kpi_grid)

        charts = QGridLayout()
        charts.setSpacing(10)
        self.chart_grid = charts
        self.radar = QPolarChart()
        self.gaps = QChart()
        self.trend = QChart()  # the scores across every assessment of the questionnaire, when there are two
        for chart, title in ((self.radar, "Current vs target by domain"), (self.gaps, "Average shortfall by domain"),
                             (self.trend, "Current score over time")):
            chart.setTitle(title)
            title_font = QFont(self.font())
            title_font.setPointSizeF(self.font().pointSizeF() + 1)
            title_font.setWeight(QFont.Weight.DemiBold)
            chart.setTitleFont(title_font)
            chart.setMargins(QMargins(6, 6, 6, 6))
            chart.setBackgroundRoundness(6)
            chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
            chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.radar_view = QChartView(self.radar)
        self.gap_view = QChartView(self.gaps)
        self.trend_view = QChartView(self.trend)
        self.trend_view.hide()
        for view in (self.radar_view, self.gap_view, self.trend_view):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(320)
            view.setFrameShape(QFrame.Shape.NoFrame)
            view.setStyleSheet(f"border: 1px solid {theme.BORDER}; border-radius: 6px; background: white;")
        layout.addLayout(charts)
        self._columns: tuple[int, int] | None = None
        self._arrange(1200)

        self.table_caption = QLabel("Scores by section")
        self.table_caption.setObjectName("heading")
        layout.addWidget(self.table_caption)
        self.model = SectionScoreModel(self)
        self.table = QTreeView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setUniformRowHeights(True)
        self.table.setMinimumHeight(220)
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount()):
            self.table.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setStretchLastSection(False)
        layout.addWidget(self.table)
        self.method_label = QLabel("")
        self.method_label.setObjectName("muted")
        self.method_label.setWordWrap(True)
        layout.addWidget(self.method_label)

        self.loading = QLabel("Calculating scores…")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setObjectName("muted")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.loading)
        outer.addWidget(scroll, 1)
        self.scroll = scroll
        scroll.hide()

    def _arrange(self, width: int) -> None:
        """Six figures and two charts side by side when there is room; fewer per row when narrow."""
        kpi_columns = 6 if width >= 1400 else 3
        chart_columns = 2 if width >= 980 else 1
        if self._columns == (kpi_columns, chart_columns):
            return
        self._columns = (kpi_columns, chart_columns)
        for kpi in self.kpis:
            self.kpi_grid.removeWidget(kpi)
        for position, kpi in enumerate(self.kpis):
            self.kpi_grid.addWidget(kpi, position // kpi_columns, position % kpi_columns)
        for column in range(6):
            self.kpi_grid.setColumnStretch(column, 1 if column < kpi_columns else 0)
        for view in (self.radar_view, self.gap_view, self.trend_view):
            self.chart_grid.removeWidget(view)
        self.chart_grid.addWidget(self.radar_view, 0, 0)
        self.chart_grid.addWidget(self.gap_view, 0 if chart_columns == 2 else 1, 1 if chart_columns == 2 else 0)
        self.chart_grid.addWidget(self.trend_view, 1 if chart_columns == 2 else 2, 0, 1, chart_columns)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._arrange(event.size().width())

    # ------------------------------------------------------------------ content

    def set_assessment(self, assessment: Any, questionnaire: Any = None) -> None:
        """Show `assessment` (scored anew when next shown); the scope is kept when the same assessment is
        shown again, else back to every question."""
        same = self.assessment is not None and assessment is not None and self.assessment.id == assessment.id
        self.assessment = assessment
        self.questionnaire = questionnaire
        self._fill_scopes(self.tag if same else "")
        self.stale = True

    @property
    def tag(self) -> str:
        """The chosen scope: a tag, or "" for every question."""
        return self.scope_combo.currentData() or ""

    def _fill_scopes(self, keep: str) -> None:
        from vciso.scope import scope_choices

        choices = scope_choices(self.questionnaire)
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        for tag, text in choices:
            self.scope_combo.addItem(text, tag)
        self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(keep)))
        self.scope_combo.blockSignals(False)
        self.scope_row.setVisible(bool(choices))

    def _scope_chosen(self, _index: int) -> None:
        self.mark_stale()

    def mark_stale(self) -> None:
        self.stale = True
        if self.isVisible():
            self.refresh()

    def ensure_fresh(self) -> None:
        if self.stale and self.assessment is not None:
            self.refresh()

    def refresh(self) -> None:
        """Build a fresh report on the worker and show it."""
        from ui.operations import reports

        if self.assessment is None:
            return
        self.stale = False
        settings = self.settings()
        if self.report is None:
            self.loading.show()
        reports.build_report(self.ops, self.assessment.id, settings.branding(), settings.phases(), self.set_report,
                             self._failed, settings.capacity(), tag=self.tag or None)

    def _on_changed(self, changes: Any, _initiator: Any) -> None:
        """Scores, the plan, the assessment, the client's name or the settings changed: show them anew
        (now if the dashboard is on screen, else the next time it is)."""
        if self.assessment is None:
            return
        if changes.settings or changes.profile or (changes.touches(self.assessment.id) and (
                changes.answers_changed or changes.roadmap or changes.assessments)):
            self.mark_stale()

    def _failed(self, message: str) -> None:
        self.loading.setText(f"The scores could not be calculated: {message}")
        self.loading.show()
        self.scroll.hide()

    def set_report(self, report: Any) -> None:
        if self.assessment is None or report.assessment.id != self.assessment.id:
            return
        if (report.scope.tag if report.scope else "") != self.tag:
            return  # built for a scope chosen before the current one: the current one's is on its way
        self.report = report
        score = report.score
        overall = score.overall
        top = f" out of {num.compact(score.scale_max)}"
        if score.aggregation == "staged" and overall.stage is not None:
            self.kpi_current.set(f"Stage {overall.stage}", f"level {fmt(overall.current)}{top}")
        else:
            self.kpi_current.set(fmt(overall.current), f"{top.strip()} · lowest answer {fmt(overall.minimum)}")
        self.kpi_target.set(fmt(overall.target), f"average shortfall {fmt(overall.gap)} per question")
        self.kpi_completion.set(pct(overall.completion), f"{overall.complete} of {overall.total} done, "
                                f"{overall.unanswered} open")
        self.kpi_progress.set(pct(overall.percent_to_target), "of the way to target")
        comparison = report.comparison
        if comparison is not None and comparison.overall.change is not None:
            self.kpi_change.set(num.change(comparison.overall.change),
                                f"from {fmt(comparison.overall.baseline)} ({comparison.baseline.name}, "
                                f"{comparison.baseline.assessment_date})")
            self.kpi_change.show()
        else:
            self.kpi_change.hide()
        answered = [row for row in report.findings if row.status == "answered"]
        said = sum(1 for row in answered if row.established)
        stale = sum(1 for row in answered if row.evidence_stale)
        self.kpi_evidence.set(f"{said} of {len(answered)}",
                              ("answers say how they were established" if said else
                               "answers say how they were established: set it under each answer's evidence")
                              + (f" · {stale} on evidence over a year old" if stale else ""))
        changes = {s.section_id: s.change for s in comparison.sections} if comparison else {}
        self.model.set_scores(score.domains, changes)
        self.table.setColumnHidden(6, comparison is None)
        self.table.expandToDepth(0)
        self._draw_radar(report)
        self._draw_gaps(report)
        self._draw_trend(report)
        rule = {"mean": "mean of the answered questions", "weighted_mean": "weighted mean of the answered questions",
                "min": "lowest answer", "staged": "highest stage fully met"}.get(score.aggregation, score.aggregation)
        scope = f" Scope: {scope_phrase(report)}." if report.scope else ""
        self.scope_note.setText(f"Everything below is about these {report.scope.questions} of "
                                f"{report.scope.total} questions only" if report.scope else "")
        self.method_label.setText(
            f"{report.questionnaire.title} {report.questionnaire.version} · scores are the {rule}, on a "
            f"{num.compact(score.scale_min)}–{num.compact(score.scale_max)} scale. Unanswered questions lower "
            f"completion, not the score; N/A questions are left out.{scope}")
        self.loading.hide()
        self.scroll.show()

    def _draw_radar(self, report: Any) -> None:
        from PySide6.QtCharts import QAreaSeries, QCategoryAxis, QLineSeries, QPolarChart, QValueAxis

        chart = self.radar
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        # a domain with nothing answered has no score: drawn as zero it would look like a failure (the PDF
        # leaves it out too), so it is left out and the title says so
        domains = [d for d in report.score.domains if d.current is not None]
        left_out = len(report.score.domains) - len(domains)
        count = len(domains)
        note = f" — {left_out} domain{'s' if left_out != 1 else ''} with no answers left out" if left_out else ""
        self.radar_left_out = left_out
        if count < 3:
            # two lines: the reason would be cut off in one on a small window
            chart.setTitle(f"Current vs target by domain<br><span style='font-weight:normal'>shown with three "
                           f"or more answered domains{note}</span>")
            return
        chart.setTitle(f"Current vs target by domain{note}")
        angular = QCategoryAxis()
        angular.setRange(0, count)
        angular.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for i, domain in enumerate(domains):
            angular.append(short(domain.title, 18), i if i else 1e-6)
        angular.setLabelsColor(QColor(theme.TEXT))
        radial = QValueAxis()
        radial.setRange(report.score.scale_min, report.score.scale_max)
        radial.setTickCount(int(report.score.scale_max - report.score.scale_min) + 1)
        radial.setLabelFormat("%d")
        radial.setLabelsColor(QColor(theme.MUTED))
        chart.addAxis(angular, QPolarChart.PolarOrientation.PolarOrientationAngular)
        chart.addAxis(radial, QPolarChart.PolarOrientation.PolarOrientationRadial)
        accent = theme.current_accent()

        def line(values: list[float], name: str) -> QLineSeries:
            series = QLineSeries()
            series.setName(name)
            for i, value in enumerate(values):
                series.append(i, value)
            series.append(count, values[0])
            return series

        minimum = report.score.scale_min
        target = line([d.target if d.target is not None else minimum for d in domains], "Target")
        current = line([d.current if d.current is not None else minimum for d in domains], "Current")
        current.setParent(chart)  # the area series does not own its boundary line: keep it alive
        self._radar_lines = [current]
        area = QAreaSeries(current)
        area.setName("Current")
        fill = QColor(accent)
        fill.setAlpha(60)
        area.setBrush(fill)
        area.setPen(QPen(accent, 2.5))
        pen = QPen(QColor(theme.WARN), 2, Qt.PenStyle.DashLine)
        target.setPen(pen)
        for series in (area, target):
            chart.addSeries(series)
            series.attachAxis(angular)
            series.attachAxis(radial)

    def _draw_gaps(self, report: Any) -> None:
        from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QHorizontalBarSeries, QValueAxis

        chart = self.gaps
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        domains = [d for d in report.score.domains]
        gap_set = QBarSet("Average shortfall (levels)")
        gap_set.setColor(theme.current_accent())
        gap_set.setBorderColor(theme.current_accent())
        for domain in reversed(domains):  # top domain at the top
            gap_set.append(num.rounded(domain.gap or 0.0, 1))  # the figure every report shows
        series = QHorizontalBarSeries()
        series.append(gap_set)
        series.setBarWidth(0.6)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(3)  # significant digits: an already rounded 1.3 or 12.5 is shown whole
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([short(d.title, 28) + ("" if d.current is not None else " (no answers)")
                           for d in reversed(domains)])
        categories.setLabelsColor(QColor(theme.TEXT))
        values = QValueAxis()
        span = report.score.scale_max - report.score.scale_min
        largest = max([d.gap or 0.0 for d in domains] + [0.5])
        top = max(1, min(math.ceil(span), math.ceil(largest)))
        values.setRange(0, top)
        # ticks on whole or half levels: quarter steps printed to one decimal read 0.2 and 0.7
        values.setTickCount(top * 2 + 1 if top <= 3 else top + 1)
        values.setLabelFormat("%.1f")
        values.setLabelsColor(QColor(theme.MUTED))
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
        chart.legend().hide()

    def _draw_trend(self, report: Any) -> None:
        """The overall and per-domain current score of every assessment of the questionnaire, oldest first,
        the dates on the axis (placed by date, labelled by vciso.numbers); hidden with fewer than two."""
        from PySide6.QtCharts import QCategoryAxis, QLineSeries, QValueAxis

        from vciso.trend import domain_colour

        chart = self.trend
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        trend = report.trend
        if trend is None or not trend.shown:
            self.trend_view.hide()
            return
        days = [_ordinal(point.assessment_date) for point in trend.points]
        first, last = days[0], days[-1]
        pad = max(1.0, (last - first) * 0.04)  # the first and last dates' labels are not cut at the edges
        dates = QCategoryAxis()
        dates.setRange(first - pad, last + pad)
        dates.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        shown: set[float] = set()
        for day, point in zip(days, trend.points):
            if day not in shown:  # two assessments on one day share a label
                shown.add(day)
                dates.append(num.short_date(point.assessment_date), day)
        dates.setLabelsColor(QColor(theme.TEXT))
        dates.setGridLineVisible(False)
        levels = QValueAxis()
        levels.setRange(trend.scale_min, trend.scale_max)
        span = trend.scale_max - trend.scale_min
        levels.setTickCount(int(span) + 1 if span <= 10 else 6)
        levels.setLabelFormat("%.1f")
        levels.setLabelsColor(QColor(theme.MUTED))
        chart.addAxis(dates, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(levels, Qt.AlignmentFlag.AlignLeft)

        def line(name: str, values: list[float | None], pen: QPen) -> QLineSeries:
            series = QLineSeries()
            series.setName(name)
            for day, value in zip(days, values):
                if value is not None:  # nothing answered in that domain then: no point, not a zero
                    series.append(day, value)
            series.setPen(pen)
            series.setPointsVisible(True)
            chart.addSeries(series)
            series.attachAxis(dates)
            series.attachAxis(levels)
            return series

        for index, title in enumerate(trend.domain_titles):
            line(short(title, 24), trend.domain_series(index), QPen(QColor(domain_colour(index)), 1.6))
        line("Overall", trend.overall_series, QPen(theme.current_accent(), 3.2))
        chart.setTitle(f"Current score over time — {num.plural(len(trend.points), 'assessment')} of "
                       f"{report.questionnaire.title}")
        chart.legend().show()
        self.trend_view.show()


def _ordinal(iso_date: str) -> float:
    """An ISO date as a day number, so assessments sit on the axis by their dates."""
    import datetime as dt

    return float(dt.date.fromisoformat(iso_date[:10]).toordinal())
