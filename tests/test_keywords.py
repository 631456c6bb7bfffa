"""Top demands on what citizens write: Chinese segmented into words (jieba), stop words and single
characters left out; English still counted by its words."""

import logging

from appeals.domain.keywords import keywords

from .helpers import report

NOVEMBER = "since=2026-11-01T00:00:00%2B08:00&until=2026-12-01T00:00:00%2B08:00"

#: Ten appeals as citizens write them: five about street lights that are out, five about leaking water.
CHINESE_APPEALS = [
    ("幸福小区路灯不亮", "幸福小区3号楼前的路灯不亮已经一个星期了，晚上出行很不安全，希望尽快修理。"),
    ("和平路路灯坏了", "和平路公交站旁边的路灯坏了，晚上一片漆黑，老人小孩走路容易摔倒。"),
    ("东门路灯不亮", "村东门的路灯不亮，请有关部门尽快处理。"),
    ("学校门口路灯", "实验小学门口的路灯一直不亮，学生晚自习放学回家很危险。"),
    ("路灯损坏", "滨河路上有三盏路灯损坏，至今无人维修。"),
    ("楼上漏水", "楼上卫生间漏水，我家天花板一直在滴水，墙皮都泡坏了。"),
    ("厨房水管漏水", "单元楼道里的水管漏水，地面积水，楼下住户无法正常出行。"),
    ("小区地下室漏水", "小区地下室漏水严重，物业一直不处理，存放的东西都被泡了。"),
    ("屋顶漏水", "下雨时屋顶漏水，屋里放了好几个盆接水，请求帮助维修。"),
    ("自来水管漏水", "街边的自来水管漏水好几天了，浪费水资源，希望相关部门尽快处理。"),
]


def test_top_demands_on_ten_chinese_appeals_name_the_shared_words_not_single_characters(as_):
    for title, description in CHINESE_APPEALS:
        report(as_, title=title, description=description, location={})
    words = as_("auditor").get(f"/api/v1/stats?{NOVEMBER}").json["top_demands"]["words"]

    assert words[:2] == [{"word": "漏水", "count": 5}, {"word": "路灯", "count": 5}]  # ties in code point order
    counted = [row["word"] for row in words]
    assert all(len(word) > 1 for word in counted), counted
    assert not {"希望", "尽快", "处理", "一直", "相关", "部门"} & set(counted), counted  # stop words
    assert {"维修", "不亮"} <= set(counted)  # also shared, by two or more appeals


def test_english_appeals_still_count_their_words_without_stop_words():
    assert keywords("Street light out near the bus stop for a week") == {"street", "light", "bus", "stop"}
    assert keywords("路灯 near the market stalls") == {"路灯", "market", "stalls"}


def test_jieba_is_loaded_once_and_keeps_quiet():
    keywords("路灯不亮")
    assert logging.getLogger("jieba").getEffectiveLevel() >= logging.WARNING
