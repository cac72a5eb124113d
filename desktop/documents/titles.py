"""Breaking a 公文 title into lines as GB/T 9704-2012 §7.3.1 asks: a title too long for one
2号 line is set in several, "排列成梯形或菱形", broken where a phrase ends, never inside a
quotation, a book title or a bracket, and never leaving a line of one or two characters.

Without a word dictionary the breaks are chosen from the seams a title has by its form:
after 关于 and the closing mark of a quotation or bracket, before an opening one, before
the verb that starts the matter (召开、印发、开展 …), before the kind of document at the end
(的通知、实施方案、抽取记录 …), after a year, after a named meeting or plan. Of the layouts
that fit, the one with the fewest lines, a trapezoid (shorter lines above longer ones) or
a diamond, and the most even lines wins. Only where a title offers no seam at all is it
cut between two characters outside any quotation, as full as the line allows.
"""

from __future__ import annotations

import itertools
import re

from desktop.documents.official import TEXT_WIDTH, TITLE_PT, text_units

# How many 2号 characters a line of the 版心 holds (156 mm / 22 pt ≈ 20).
TITLE_ROOM = TEXT_WIDTH / (TITLE_PT * 20)
_SHORTEST = 3  # a line of one or two characters is a widow

_OPEN, _CLOSE = "“《（(「『", "”》）)」』"
_QUOTES = ("“「『", "”」』")  # what is never broken, however long
# Seams, strongest first: (pattern of the position, cost of breaking there).
_SEAMS: tuple[tuple[re.Pattern[str], int], ...] = (
    # before the kind of document that ends the title
    (
        re.compile(
            r"(?=(?:的)?(?:通知|通报|决定|意见|报告|批复|函|纪要|公告|请示|"
            r"实施方案|工作方案|抽取公告|抽取记录|告知书)$)"
        ),
        1,
    ),
    (re.compile(r"(?<=关于)"), 1),
    (re.compile(r"(?=[“《（(])"), 2),
    (re.compile(r"(?<=[”》）)])"), 2),
    (re.compile(r"(?=(?:召开|印发|转发|开展|做好|进一步|加强|组织|公布|公示|调整|下达))"), 2),
    (re.compile(r"(?<=\d年)(?!度)|(?<=年度)"), 3),
    (re.compile(r"(?<=(?:会议|计划|名录|清单|任务|工作|情况|结果|检查|抽查))(?![的”》）)])"), 4),
    (re.compile(r"(?=第[一二三四五六七八九十\d]+次)"), 3),
)
_ANYWHERE = 9  # a cut between two characters where no seam serves
# Two-character words of the field: a position with one of them on each side is between
# words ("食品安全|和消防" is not, "食品安全和|消防安全" is not, "食品安全|消防" would be).
_WORDS_TEXT = """
    安全 食品 消防 餐饮 服务 联合 抽查 检查 监管 工作 部门 会议 实施 方案 年度
    计划 情况 通报 市场 监督 管理 质量 生产 经营 企业 单位 许可 药品 特种 设备
    环境 保护 卫生 健康 教育 文化 旅游 交通 运输 农业 农村 价格 收费 税务 统计
    应急 城乡 建设 住房 自然 资源 生态 人力 社会 保障 公安 民政 商务 林业 水利
    医疗 机构 学校 校外 培训 燃气 危险 化学 烟花 爆竹 广告 产品 标准 计量 知识
    产权 网络 交易 平台 直播 电子 信用 风险 分类 随机 抽取 名录 清单 事项 结果
    公示 执法 人员 对象 全体 进展 专项 重点 领域 行业 场所 养老 托育 医保 基金
    劳动 用工 工资 支付 建筑 工程 施工 道路 运营 出租 客运 货运 仓储 物流 联络
    成员 联席 召开 印发 开展 做好 加强 组织 公布 调整 下达 部署 推进 落实 规范
"""
_WORDS = frozenset(_WORDS_TEXT.split())


def break_title(title: str, room: float = TITLE_ROOM) -> list[str]:
    """The lines of ``title``; one line when it fits."""
    title = title.strip()
    if text_units(title) <= room:
        return [title]
    inside = _protected(title)
    seams = _seams(title, inside)
    best = _best(title, seams, room)
    if best is None:  # a book title or bracket longer than a line: break it between words
        inside = _protected(title, marks=_QUOTES)
        seams = {**{at: cost + 3 for at, cost in _seams(title, inside).items()}, **seams}
        best = _best(title, seams, room)
    if best is None:  # no seam serves: fall back to every position outside quotations
        anywhere = {i: _ANYWHERE for i in range(1, len(title)) if i not in inside}
        best = _best(title, {**anywhere, **seams}, room)
    if best is None:
        return [title]  # a title of one unbreakable quotation: the line wraps itself
    return best


# Terms whose halves are words too but which must stay whole on a line.
_TERMS_TEXT = """
    食品安全 消防安全 安全生产 特种设备 市场监管 监督管理 联合抽查 联席会议 工作计划
    实施方案 抽取记录 抽取公告 全体会议 信用风险 校外培训 培训机构 医疗机构 养老机构
    危险化学品 烟花爆竹 人力资源 社会保障 自然资源 生态环境 交通运输 农业农村 文化旅游
    卫生健康 应急管理 住房城乡 城乡建设 知识产权 电子商务 随机抽查 检查结果 工作进展
    进展情况
"""
_TERMS = tuple(_TERMS_TEXT.split())


def _protected(title: str, marks: tuple[str, str] = (_OPEN, _CLOSE)) -> set[int]:
    """Positions (a break before the character there) inside a quotation, a bracket or a
    term that must stay whole."""
    inside: set[int] = set()
    for term in _TERMS:
        for match in re.finditer(re.escape(term), title):
            inside.update(range(match.start() + 1, match.end()))
    opening, closing = marks
    depth = 0
    for index, char in enumerate(title):
        if depth > 0:
            inside.add(index)
        if char in opening:
            depth += 1
        elif char in closing and depth > 0:
            depth -= 1
    # the break after an opening mark and before its closing mark are inside; the break
    # before the opening mark and after the closing one are not
    return inside


def _seams(title: str, inside: set[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for at in range(2, len(title) - 1):
        if at not in inside and title[at - 2 : at] in _WORDS and title[at : at + 2] in _WORDS:
            found[at] = 3
    for pattern, cost in _SEAMS:
        for match in pattern.finditer(title):
            at = match.start()
            if 0 < at < len(title) and at not in inside:
                found[at] = min(cost, found.get(at, cost))
    return found


def _best(title: str, seams: dict[int, int], room: float) -> list[str] | None:
    positions = sorted(seams)
    least = max(2, int(-(-text_units(title) // room)))
    for count in range(least, least + 3):
        scored: list[tuple[float, list[str]]] = []
        for cut in itertools.combinations(positions, count - 1):
            bounds = (0, *cut, len(title))
            lines = [title[a:b] for a, b in itertools.pairwise(bounds)]
            widths = [text_units(line) for line in lines]
            if max(widths) > room or min(widths) < _SHORTEST:
                continue
            scored.append((_cost(widths, [seams[c] for c in cut]), lines))
        if scored:
            return min(scored, key=lambda item: item[0])[1]
    return None


def _cost(widths: list[float], seam_costs: list[int]) -> float:
    """Lower is better: a good shape, even lines, strong seams."""
    growing = all(a <= b for a, b in itertools.pairwise(widths))
    peak = widths.index(max(widths))
    diamond = (
        len(widths) >= 3
        and all(a <= b for a, b in itertools.pairwise(widths[: peak + 1]))
        and all(a >= b for a, b in itertools.pairwise(widths[peak:]))
    )
    shape = 0 if growing else (2 if diamond else 6)
    return shape + (max(widths) - min(widths)) / 2 + sum(seam_costs)
