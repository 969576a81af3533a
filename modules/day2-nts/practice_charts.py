"""Day 2's practice charts: invented figures, the words around them in both languages, the drawing.

Each page shows its chart with ``PracticeChartView`` (``wpskit.widgets.practice``): a picture
drawn ahead of time into ``figures/`` beside this file, its caption, and the same figures as a
table. After a change to this file, draw the pictures again (a test fails until then)::

    .venv/bin/python modules/day2-nts/practice_charts.py

Every figure here is invented for practice, not real data, and every chart says so on screen.
"""

import textwrap

from wpskit.formats import number  # 1,300 in English, 1.300 in Vietnamese
from wpskit.widgets.practice import PracticeChart, save_pictures

WOMEN, MEN = "#1f5fa8", "#e08214"

# -- 01 What security means: concerns raised at a commune meeting ------------------------------

CONCERNS = {  # dimension of human security: (women, men)
    "economic": (14, 16), "food": (11, 9), "health": (12, 7), "environmental": (6, 8),
    "personal": (17, 4), "community": (5, 6), "political": (3, 4),
}

CONCERNS_TEXT = {
    "en": {
        "title": "Concerns raised after a flood, Commune A",
        "x": "Dimension of human security",
        "y": "Number of concerns raised",
        "women": "Women (40 present)",
        "men": "Men (40 present)",
        "dimensions": ["Economic", "Food", "Health", "Environ-\nmental", "Personal", "Community", "Political"],
        "caption": "Concerns raised by 40 women and 40 men at one meeting of Commune A, a fictional commune; one person could raise several concerns. Source: invented figures for practice — not real data.",
        "alt": "Bar chart: for each of the seven dimensions of human security, the number of concerns raised by women and by men in Commune A. The figures are in the table below.",
        "table_caption": "The same figures as a table (number of concerns raised)",
        "columns": ["Dimension", "Women", "Men"],
    },
    "vi": {
        "title": "Những mối lo ngại được nêu sau trận lũ, xã A",
        "x": "Khía cạnh an ninh con người",
        "y": "Số mối lo ngại được nêu",
        "women": "Phụ nữ (40 người dự họp)",
        "men": "Nam giới (40 người dự họp)",
        "dimensions": ["Kinh tế", "Lương thực", "Sức khỏe", "Môi trường", "Cá nhân", "Cộng đồng", "Chính trị"],
        "caption": "Những mối lo ngại do 40 phụ nữ và 40 nam giới nêu tại một cuộc họp của xã A, một xã giả định; mỗi người có thể nêu nhiều mối lo ngại. Nguồn: số liệu giả định để thực hành — không phải số liệu thực.",
        "alt": "Biểu đồ cột: với mỗi khía cạnh trong bảy khía cạnh của an ninh con người, số mối lo ngại do phụ nữ và do nam giới ở xã A nêu ra. Các con số có trong bảng bên dưới.",
        "table_caption": "Các con số trên dưới dạng bảng (số mối lo ngại được nêu)",
        "columns": ["Khía cạnh", "Phụ nữ", "Nam giới"],
    },
}


def _draw_concerns(ax, t, language):
    from matplotlib.ticker import MaxNLocator

    positions = range(len(CONCERNS))
    women, men = zip(*CONCERNS.values())
    ax.bar([p - 0.2 for p in positions], women, width=0.4, color=WOMEN, label=t["women"])
    ax.bar([p + 0.2 for p in positions], men, width=0.4, color=MEN, hatch="//", edgecolor="white", label=t["men"])
    ax.set_xticks(list(positions), t["dimensions"], rotation=35, ha="right")
    ax.set_title(t["title"])
    ax.set_xlabel(t["x"])
    ax.set_ylabel(t["y"])
    ax.set_ylim(0, max(women + men) * 1.3)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, ncols=2, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)


def _concerns_table(t, language):
    rows = [[name.replace("-\n", "")] + [number(v, language, ",") for v in counts]
            for name, counts in zip(t["dimensions"], CONCERNS.values())]
    return t["columns"], rows


# -- 02 Climate and disasters: an evacuation-shelter survey ------------------------------------

SHELTER = {  # question: (women, men) who answered "yes", %
    "warned in time": (55, 80), "safe at night": (45, 85), "private place to wash": (35, 70), "asked about needs": (20, 35),
}

SHELTER_TEXT = {
    "en": {
        "title": "Evacuation-shelter survey after a flood, Commune B",
        "x": "People asked who answered \"yes\" (%)",
        "women": "Women (60 asked)",
        "men": "Men (50 asked)",
        "questions": ["Received the warning in time", "Felt safe in the shelter at night", "Had a private place to wash", "Were asked what they needed"],
        "caption": "Share of the 60 women and 50 men asked in the shelter of Commune B, a fictional commune, who answered \"yes\" to each question. Source: invented figures for practice — not real data.",
        "alt": "Horizontal bar chart: for four questions, the percentage of women and of men in the shelter of Commune B who answered yes. The figures are in the table below.",
        "table_caption": "The same figures as a table (% who answered \"yes\")",
        "columns": ["Question", "Women (%)", "Men (%)"],
    },
    "vi": {
        "title": "Khảo sát tại nơi sơ tán sau trận lũ, xã B",
        "x": "Tỷ lệ người được hỏi trả lời \"có\" (%)",
        "women": "Phụ nữ (60 người được hỏi)",
        "men": "Nam giới (50 người được hỏi)",
        "questions": ["Nhận được cảnh báo kịp thời", "Cảm thấy an toàn ở nơi sơ tán vào ban đêm", "Có chỗ tắm giặt kín đáo", "Được hỏi mình cần gì"],
        "caption": "Tỷ lệ trong số 60 phụ nữ và 50 nam giới được hỏi tại nơi sơ tán của xã B, một xã giả định, trả lời \"có\" cho từng câu hỏi. Nguồn: số liệu giả định để thực hành — không phải số liệu thực.",
        "alt": "Biểu đồ cột ngang: với bốn câu hỏi, tỷ lệ phần trăm phụ nữ và nam giới ở nơi sơ tán của xã B trả lời có. Các con số có trong bảng bên dưới.",
        "table_caption": "Các con số trên dưới dạng bảng (% trả lời \"có\")",
        "columns": ["Câu hỏi", "Phụ nữ (%)", "Nam giới (%)"],
    },
}


def _draw_shelter(ax, t, language):
    positions = list(range(len(SHELTER)))[::-1]  # the first question at the top
    women, men = zip(*SHELTER.values())
    ax.barh([p + 0.2 for p in positions], women, height=0.4, color=WOMEN, label=t["women"])
    ax.barh([p - 0.2 for p in positions], men, height=0.4, color=MEN, hatch="//", edgecolor="white", label=t["men"])
    ax.set_yticks(positions, [textwrap.fill(q, 22) for q in t["questions"]])
    ax.set_xlim(0, 100)
    ax.set_title(t["title"])
    ax.set_xlabel(t["x"])
    ax.legend(frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)


def _shelter_table(t, language):
    return t["columns"], [[q] + [number(v, language, ",") for v in shares] for q, shares in zip(t["questions"], SHELTER.values())]


# -- 03 Trafficking, pandemics, online: calls to a support line --------------------------------

CALLS = {  # month: (calls from women, calls from men)
    1: (30, 6), 2: (28, 5), 3: (32, 7), 4: (55, 9), 5: (61, 10), 6: (58, 9),
    7: (41, 7), 8: (36, 6), 9: (34, 6), 10: (33, 7), 11: (31, 5), 12: (35, 6),
}
RESTRICTED_MONTHS = (4, 6)  # first and last month of the movement restrictions

CALLS_TEXT = {
    "en": {
        "title": "Calls to a support line for violence at home, Province C",
        "x": "Month",
        "y": "Number of calls per month",
        "women": "Calls from women",
        "men": "Calls from men",
        "restricted": "Months of movement restrictions",
        "caption": "Calls received each month by the support line of Province C, a fictional province, over one year; months 4 to 6 had movement restrictions. Source: invented figures for practice — not real data.",
        "alt": "Line chart: calls per month from women and from men to the support line of Province C over twelve months, with months 4 to 6 shaded. The figures are in the table below.",
        "table_caption": "The same figures as a table (number of calls)",
        "columns": ["Month", "Women", "Men"],
        "month": "Month {}",
    },
    "vi": {
        "title": "Cuộc gọi đến đường dây hỗ trợ về bạo lực gia đình, tỉnh C",
        "x": "Tháng",
        "y": "Số cuộc gọi mỗi tháng",
        "women": "Cuộc gọi của phụ nữ",
        "men": "Cuộc gọi của nam giới",
        "restricted": "Các tháng hạn chế đi lại",
        "caption": "Số cuộc gọi mỗi tháng đến đường dây hỗ trợ của tỉnh C, một tỉnh giả định, trong một năm; từ tháng 4 đến tháng 6 có biện pháp hạn chế đi lại. Nguồn: số liệu giả định để thực hành — không phải số liệu thực.",
        "alt": "Biểu đồ đường: số cuộc gọi mỗi tháng của phụ nữ và của nam giới đến đường dây hỗ trợ của tỉnh C trong mười hai tháng, các tháng 4 đến 6 được tô nền. Các con số có trong bảng bên dưới.",
        "table_caption": "Các con số trên dưới dạng bảng (số cuộc gọi)",
        "columns": ["Tháng", "Phụ nữ", "Nam giới"],
        "month": "Tháng {}",
    },
}


def _draw_calls(ax, t, language):
    first, last = RESTRICTED_MONTHS
    months = list(CALLS)
    women, men = zip(*CALLS.values())
    ax.axvspan(first - 0.5, last + 0.5, color="#d9d9d9", label=t["restricted"])
    ax.plot(months, women, marker="o", color=WOMEN, label=t["women"])
    ax.plot(months, men, marker="s", linestyle="--", color="#b35900", label=t["men"])
    ax.set_xticks(months)
    ax.set_xlim(0.5, 12.5)
    ax.set_ylim(0, 80)
    ax.set_title(t["title"])
    ax.set_xlabel(t["x"])
    ax.set_ylabel(t["y"])
    ax.legend(frameon=False, loc="upper right")
    ax.spines[["top", "right"]].set_visible(False)


def _calls_table(t, language):
    return t["columns"], [[t["month"].format(month)] + [number(v, language, ",") for v in calls] for month, calls in CALLS.items()]


# -- 04 Gender analysis: a commune's flood report ----------------------------------------------

NOT_RECORDED = None
FLOOD_REPORT = {  # indicator: (total, female, male)
    "evacuated": (2400, 1300, 1100),
    "injured": (85, NOT_RECORDED, NOT_RECORDED),
    "relief households": (640, 150, 490),
    "committee members": (15, 2, 13),
    "out of school": (NOT_RECORDED, NOT_RECORDED, NOT_RECORDED),
}

REPORT_TEXT = {
    "en": {
        "title": "Flood report of Commune D: share of women and girls",
        "x": "Women and girls, as a share of the total (%)",
        "rows": [
            "People evacuated",
            "People injured",
            "Households receiving relief, by sex of the registered head",
            "Members of the commune's flood committee",
            "Children out of school for more than a week",
        ],
        "not_recorded": "not recorded",
        "half": "half",
        "caption": "Figures from the flood report of Commune D, a fictional commune. Where the report gives no figure for women and men, the chart says \"not recorded\". Source: invented figures for practice — not real data.",
        "alt": "Horizontal bar chart: the share of women and girls in people evacuated, households receiving relief and the flood committee of Commune D; people injured and children out of school are not recorded by sex. The figures are in the table below.",
        "table_caption": "The report's figures (number of people or households)",
        "columns": ["Indicator", "Total", "Female", "Male"],
    },
    "vi": {
        "title": "Báo cáo về trận lũ của xã D: tỷ lệ phụ nữ và trẻ em gái",
        "x": "Phụ nữ và trẻ em gái, tính theo tỷ lệ trên tổng số (%)",
        "rows": [
            "Số người được sơ tán",
            "Số người bị thương",
            "Số hộ được cứu trợ, theo giới tính của chủ hộ đã đăng ký",
            "Thành viên ban phòng, chống lụt của xã",
            "Số trẻ em nghỉ học quá một tuần",
        ],
        "not_recorded": "không ghi nhận",
        "half": "một nửa",
        "caption": "Số liệu trong báo cáo về trận lũ của xã D, một xã giả định. Ở những chỗ báo cáo không có số liệu riêng cho nữ và nam, biểu đồ ghi \"không ghi nhận\". Nguồn: số liệu giả định để thực hành — không phải số liệu thực.",
        "alt": "Biểu đồ cột ngang: tỷ lệ phụ nữ và trẻ em gái trong số người được sơ tán, số hộ được cứu trợ và ban phòng, chống lụt của xã D; số người bị thương và số trẻ em nghỉ học không được ghi nhận theo giới tính. Các con số có trong bảng bên dưới.",
        "table_caption": "Các con số trong báo cáo (số người hoặc số hộ)",
        "columns": ["Chỉ số", "Tổng", "Nữ", "Nam"],
    },
}


def _draw_flood_report(ax, t, language):
    positions = list(range(len(FLOOD_REPORT)))[::-1]  # the first row at the top
    for position, (total, female, _) in zip(positions, FLOOD_REPORT.values()):
        if female is NOT_RECORDED:
            ax.text(2, position, t["not_recorded"], va="center", style="italic", color="#555555")
        else:
            share = 100 * female / total
            ax.barh(position, share, height=0.55, color=WOMEN)
            ax.text(share + 1.5, position, f"{share:.0f}%", va="center")
    ax.axvline(50, color="#555555", linestyle=":", linewidth=1)
    ax.text(50, len(FLOOD_REPORT) - 0.45, t["half"], ha="center", color="#555555", fontsize=9)
    ax.set_yticks(positions, [textwrap.fill(r, 26) for r in t["rows"]])
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(FLOOD_REPORT) - 0.2)
    ax.set_title(textwrap.fill(t["title"], 48))
    ax.set_xlabel(t["x"])
    ax.spines[["top", "right"]].set_visible(False)


def _flood_report_table(t, language):
    rows = [[name] + [t["not_recorded"] if v is NOT_RECORDED else number(v, language, ",") for v in figures]
            for name, figures in zip(t["rows"], FLOOD_REPORT.values())]
    return t["columns"], rows


CHARTS = {
    "concerns": PracticeChart("concerns", CONCERNS_TEXT, _draw_concerns, _concerns_table),
    "shelter": PracticeChart("shelter", SHELTER_TEXT, _draw_shelter, _shelter_table),
    "calls": PracticeChart("calls", CALLS_TEXT, _draw_calls, _calls_table),
    "flood-report": PracticeChart("flood-report", REPORT_TEXT, _draw_flood_report, _flood_report_table),
}

if __name__ == "__main__":
    for path in save_pictures(CHARTS.values()):
        print(f"drawn: {path}")
