"""The evaluation report for the advisory committee: one printable, self-contained HTML page.

Charts are inline SVG drawn here, styles inline in the page: no script, no font, no image, no link
leaves the document, so it renders (and prints) without network access. It shows only what the
metrics show: a withheld value (a group below k) is written as such, never drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from app.domain.metrics import MonthCount, ProgramMetrics, Rate

_CSS = """
body{font-family:system-ui,sans-serif;color:#1f2933;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d9e2ec}
.note{color:#52606d;font-size:.85rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
td,th{padding:.3rem .5rem;border-bottom:1px solid #e4e7eb;text-align:left}svg{display:block;margin:.5rem 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}@media print{body{margin:0}h2{break-after:avoid}}
"""
_BLUE, _GREEN = "#2f6fde", "#3f9142"


def _bars(title: str, items: Sequence[tuple[str, float, str]], *, maximum: float | None = None) -> str:
    """Horizontal bars: (label, value, text shown at the bar's end)."""
    top = maximum or max((value for _, value, _ in items), default=0) or 1
    row, width, label_w = 26, 560, 170
    height = row * len(items) + 10
    parts = [f'<svg role="img" aria-label="{escape(title)}" width="{width}" height="{height}" class="chart">']
    for i, (label, value, shown) in enumerate(items):
        y = 5 + i * row
        length = max(0.0, (width - label_w - 70) * value / top)
        parts.append(f'<text x="0" y="{y + 16}" font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="16" fill="{_BLUE}"></rect>')
        parts.append(f'<text x="{label_w + length + 6:.1f}" y="{y + 16}" font-size="12">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _columns(title: str, series: Sequence[MonthCount]) -> str:
    if not series:
        return '<p class="note">Nothing yet.</p>'
    width, height, pad = 560, 160, 24
    top = max(c.count for c in series) or 1
    step = (width - pad) / len(series)
    parts = [f'<svg role="img" aria-label="{escape(title)}" width="{width}" height="{height + 20}" class="chart">']
    for i, c in enumerate(series):
        h = (height - pad) * c.count / top
        x = pad + i * step
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" fill="{_GREEN}"></rect>'
            f'<text x="{x:.1f}" y="{height + 14}" font-size="10">{escape(c.month)}</text>'
            f'<text x="{x:.1f}" y="{height - h - 3:.1f}" font-size="10">{c.count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _rate(rate: Rate) -> str:
    if rate.value is None:
        return f"withheld (a group of {rate.size}, fewer than k)" if rate.size else "no data yet"
    return f"{rate.value:.0%} of {rate.size}"


def _rate_bars(title: str, rates: Sequence[tuple[str, Rate]]) -> str:
    shown = [(label, rate.value or 0.0, _rate(rate)) for label, rate in rates]
    return _bars(title, shown, maximum=1.0)


def _survey_row(summary: dict[str, object]) -> str:
    respondents = summary["respondents"]
    scales = summary["scales"]
    means = ", ".join(f"{k}: {v}" for k, v in scales.items()) if isinstance(scales, dict) else ""
    shown = "withheld (fewer than k)" if respondents is None else str(respondents)
    return f"<tr><td>{escape(str(summary['title']))}</td><td>{shown}</td><td>{escape(means or '—')}</td></tr>"


def render(metrics: ProgramMetrics, *, program_name: str, generated_on: str) -> str:
    funnel = _bars("Enrolment funnel", [(name, count, str(count)) for name, count in metrics.funnel.items()])
    health = _bars("Health of live pairs", [(s.replace("_", " "), n, str(n)) for s, n in metrics.health.items()])
    objectives = "".join(
        f"<tr><td>{escape(o.metric)}</td><td>{o.target:g} {escape(o.unit)}</td><td>{o.goals_linked}</td>"
        f"<td>{escape(_rate(o.goals_achieved))}</td></tr>"
        for o in metrics.objectives
    )
    surveys = "".join(_survey_row(s) for s in metrics.surveys)
    trained = _rate_bars(
        "Trained versus untrained pairs",
        [("trained", metrics.trained_success), ("untrained", metrics.untrained_success)],
    )
    retention = _rate_bars(
        "Retention",
        [("participants", metrics.participant_retention), ("comparable colleagues", metrics.non_participant_retention)],
    )
    turns = _rate_bars("Turns led by the designated mentor", [("led by the mentor", metrics.turn_balance)])
    outcomes = _bars("Outcomes", [(name.replace("_", " "), n, str(n)) for name, n in metrics.outcomes.items()])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(program_name)} — evaluation report</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>{_CSS}</style></head>
<body>
<h1>{escape(program_name)}</h1>
<p class="note">Evaluation report, {escape(generated_on)}. Every figure over a group smaller than {metrics.k}
is withheld; survey results are anonymous aggregates of closed surveys only.</p>
<h2>Objectives against targets</h2>
<table><tr><th>Objective</th><th>Target</th><th>Goals linked</th><th>Achieved</th></tr>{
        objectives or '<tr><td colspan="4">No objectives set.</td></tr>'
    }</table>
<p>Learning goals achieved: {escape(_rate(metrics.goal_achievement))}.</p>
<div class="grid"><section><h2>Enrolment funnel</h2>{funnel}
<p>Matched: {escape(_rate(metrics.match_rate))}; accepted: {escape(_rate(metrics.acceptance_rate))};
days to match: {metrics.days_to_match if metrics.days_to_match is not None else "withheld"}.</p></section>
<section><h2>Health</h2>{health}<p>Meetings held: {metrics.meetings_held} of {metrics.meetings_expected} expected by
the agreed cadences. Check-ins: {metrics.checkins_submitted} submitted, {metrics.checkins_missed} missed, average
{metrics.checkin_average if metrics.checkin_average is not None else "withheld"}.</p></section></div>
<h2>Activity over time</h2>
<h3>Enrolments per month</h3>{_columns("Enrolments per month", metrics.monthly.get("enrolments", []))}
<h3>Meetings held per month</h3>{_columns("Meetings held per month", metrics.monthly.get("meetings_held", []))}
<h2>Turn balance</h2>{turns}
<h2>Survey results</h2><table><tr><th>Survey</th><th>Respondents</th><th>Scale means (1–5)</th></tr>{
        surveys or '<tr><td colspan="3">No closed survey.</td></tr>'
    }</table>
<h2>Outcomes</h2>{outcomes}<p>Completion: {escape(_rate(metrics.completion_rate))}.</p>
<h2>Trained versus untrained pairs</h2>{trained}
<h2>Retention</h2>{retention}
</body></html>"""
