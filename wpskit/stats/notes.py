"""Why a figure is missing: the reasons a statistic returns instead of a made-up number.

Each reason is a short English phrase; the report shows it (translated with ``--lang vi``)
next to the empty figure.
"""

NO_PAIRS = "no participant has both a pre-test and a post-test score yet"
ONE_PAIR = "needs at least 2 paired participants"
NO_VARIATION_IN_CHANGE = "every participant changed by the same amount, so the change has no spread"
NO_VARIATION = "the scores have no spread (everyone scored the same)"
CEILING = "the class averaged 100% on the pre-test, so there was no room to gain"
ALL_AT_LIMITS = "every participant scored 0% or 100% on both tests"
NO_CHANGE = "no participant's score changed"
TOO_FEW_ITEMS = "needs at least 2 items"
TOO_FEW_PARTICIPANTS = "needs at least 2 participants"
TOO_FEW_FOR_CORRELATION = "needs at least 3 participants"
ALPHA_ON_SCORED_ITEMS = ("computed on the items every participant has a score for: written answers still waiting "
                         "for a hand grade are left out until graded")
GROUPS_ALL_SUPPRESSED = ("no chart by group: every group has fewer than 5 paired participants (not shown, to protect "
                         "privacy)")
NO_ROSTER_COLUMN = "the roster has no such column"
SUPPRESSED = "fewer than 5 paired participants: not shown, to protect privacy and because so few results say little"
NO_RESPONSES = "no recorded responses"
SURVEY_SUPPRESSED = "fewer than 5 respondents: not shown, to protect privacy"
NO_SURVEY_ANSWERS = "nobody answered this question"


def failed(error: BaseException) -> str:
    """The reason of a figure whose computation failed: the kind of error only (its text may name a file)."""
    return f"could not be computed on these data ({type(error).__name__}); please report it to the wpskit maintainers"
