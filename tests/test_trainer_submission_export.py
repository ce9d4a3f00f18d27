"""The per-submission CSV carries the trainee's criteria, weights, scores and KPIs."""

import csv
import io

from courseware.trainer.export import csv_bytes
from courseware.trainer.submission_export import SubmissionLabels, submission_rows
from courseware.workshop.case import Candidate
from courseware.workshop.model import (
    Criterion,
    Cutoff,
    FigureMeasure,
    JudgementMeasure,
    Kpi,
    Workshop,
)
from courseware.workshop.scoring import evaluate

LABELS = SubmissionLabels(
    criteria="选择标准",
    criterion="标准",
    description="说明",
    weight="权重（%）",
    measure="衡量方式",
    figure="数据",
    judgement="主观评分",
    thresholds="阈值",
    anchors="主观评分说明（1 至 5 分）",
    ranking="排名",
    rank="名次",
    candidate="客户",
    score="加权得分",
    key_account="大客户",
    yes="是",
    cutoff="分数线",
    top_n="前 N 名",
    min_score="最低分",
    justification="理由",
    kpis="KPI",
    kpi="指标",
    definition="定义",
    unit="单位",
    target="目标值",
    frequency="检视频率",
    data_source="数据来源",
    responsibility="对应职责",
    figure_names={"revenue": "年收入"},
    frequency_names={"monthly": "每月"},
    responsibility_names={"revenue_growth": "提高收益"},
    figure_named="%(label)s：%(figure)s",
)


def _candidate(candidate_id, revenue):
    return Candidate(
        id=candidate_id,
        name=candidate_id.upper(),
        segment="",
        category="customer",
        description="",
        figures={"revenue": revenue},
        facts={},
        relationship="good",
    )


CANDIDATES = [_candidate("a", 100.0), _candidate("b", 10.0)]
WORKSHOP = Workshop(
    criteria=(
        Criterion("收入", "年收入", 60, FigureMeasure("revenue", "higher", (20, 40, 60, 80))),
        Criterion(
            "=关系", "客户关系", 40,
            JudgementMeasure(("不契合", "", "一般", "", "完全契合"), {"a": 3, "b": 5}),
        ),
    ),
    cutoff=Cutoff("top_n", 1),
    justification="只选一个。",
    kpis=(Kpi("收入增长", "同比", "%", "+10%", "monthly", "ERP", "revenue_growth"),),
)


def _csv_rows():
    rows = submission_rows(WORKSHOP, evaluate(WORKSHOP, CANDIDATES), {"a": "甲超市"}, LABELS)
    data = csv_bytes(rows[0], rows[1:])
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_criteria_block_lists_weights_and_measures():
    rows = _csv_rows()
    assert rows[1] == ["标准", "说明", "权重（%）", "衡量方式", "阈值", "主观评分说明（1 至 5 分）"]
    assert rows[2] == ["收入", "年收入", "60", "数据：年收入", "20 / 40 / 60 / 80", ""]
    assert rows[3] == ["'=关系", "客户关系", "40", "主观评分", "",
                       "1. 不契合\n2. \n3. 一般\n4. \n5. 完全契合"]


def test_ranking_block_has_points_per_criterion_score_and_key_accounts():
    rows = _csv_rows()
    start = rows.index(["排名"])
    assert rows[start + 1] == ["名次", "客户", "收入", "'=关系", "加权得分", "大客户"]
    # a: 5 points x 60 + 3 x 40 = 420 / 5 = 84; b: 1 x 60 + 5 x 40 = 260 / 5 = 52.
    assert rows[start + 2] == ["1", "甲超市", "5", "3", "84.0", "是"]
    assert rows[start + 3] == ["2", "b", "1", "5", "52.0", ""]


def test_cutoff_justification_and_kpis_are_exported_as_typed():
    rows = _csv_rows()
    assert ["分数线", "前 N 名", "1"] in rows
    assert ["理由", "只选一个。"] in rows
    assert rows[-1] == ["收入增长", "同比", "%", "'+10%", "每月", "ERP", "提高收益"]
