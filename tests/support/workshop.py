"""A trainee's workshop as the tests fill it in and save it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

CONTENT = Path(__file__).resolve().parent.parent.parent / "content"
CANDIDATE_IDS = [c["id"] for c in yaml.safe_load(
    (CONTENT / "en" / "workshop.yaml").read_text(encoding="utf-8"))["candidates"]]
def complete_fields() -> dict[str, str]:
    """A workshop that passes every check: three criteria, a cut-off, a reason, three KPIs."""
    fields = {
        "criteria-0-name": "Revenue", "criteria-0-description": "Size of the business today",
        "criteria-0-weight": "40", "criteria-0-kind": "figure", "criteria-0-figure": "revenue",
        "criteria-0-direction": "higher", "criteria-0-threshold-0": "10",
        "criteria-0-threshold-1": "30", "criteria-0-threshold-2": "60",
        "criteria-0-threshold-3": "100",
        "criteria-1-name": "成本", "criteria-1-description": "服务成本越低越好",
        "criteria-1-weight": "30", "criteria-1-kind": "figure",
        "criteria-1-figure": "cost_to_serve", "criteria-1-direction": "lower",
        "criteria-1-threshold-0": "14", "criteria-1-threshold-1": "11",
        "criteria-1-threshold-2": "8", "criteria-1-threshold-3": "6",
        "criteria-2-name": "Relationship", "criteria-2-description": "Trust and openness",
        "criteria-2-weight": "30", "criteria-2-kind": "judgement",
        "cutoff-kind": "top_n", "cutoff-value": "4",
        "justification": "Growth and profit first.\n第二行。",
    }
    for level in range(1, 6):
        fields[f"criteria-2-anchor-{level}"] = f"Level {level} looks like this"
    for index, candidate_id in enumerate(CANDIDATE_IDS):
        fields[f"criteria-2-score-{candidate_id}"] = str(index % 5 + 1)
    for k, responsibility in enumerate(("forecasting", "on_time", "profit_growth")):
        fields.update({
            f"kpis-{k}-name": f"KPI {k}", f"kpis-{k}-definition": "A over B",
            f"kpis-{k}-unit": "%", f"kpis-{k}-target": "95%", f"kpis-{k}-frequency": "monthly",
            f"kpis-{k}-data_source": "ERP", f"kpis-{k}-responsibility": responsibility,
        })
    return fields


def page_position(client, lang: str) -> dict[str, str]:
    """The hidden fields that say which draft revision the page shows."""
    page = client.get(f"/{lang}/workshop/").get_data(as_text=True)
    position = {}
    for name in ("base_version", "revision"):
        match = re.search(rf'name="{name}" value="([^"]*)"', page)
        assert match, name
        position[name] = match.group(1)
    return position


def autosave(client, lang: str, position: dict[str, str], fields: dict[str, str],
             **shown: str):
    """Save as the page's script does: the form's fields as JSON."""
    return client.post(f"/{lang}/workshop/autosave", json={**position, **fields, **shown})
