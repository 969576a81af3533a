"""Learning-gain statistics, item analysis and reliability: pure functions on DataFrames.

One statistic, one function (pingouin's layout): validate, drop missing pairs, compute,
return a DataFrame with fixed columns. A figure that cannot be computed is NaN and a
``note`` says why (``wpskit.stats.notes``); the report turns it into ``null``.

    cohort   form_percentages, pair_pre_post, group_labels, is_suppressed, group_gains,
             objective_percentages
    paired   describe_percentages, hake_gain, normalized_change, mean_normalized_change,
             percent_improved, paired_ttest, wilcoxon_test, cohen_dz, cohen_dav, learning_gain
    items    item_matrix, cronbach_alpha, kr20, item_statistics, option_shares
    survey   rating_distribution, confidence_change, survey_groups (the satisfaction survey)
"""

from wpskit.stats.cohort import (
    GROUP_VARIABLES,
    MIN_GROUP_SIZE,
    NOT_RECORDED,
    form_percentages,
    group_gains,
    group_labels,
    is_suppressed,
    objective_percentages,
    pair_pre_post,
)
from wpskit.stats.items import cronbach_alpha, item_matrix, item_statistics, kr20, option_shares
from wpskit.stats.survey import confidence_change, rating_distribution, survey_groups
from wpskit.stats.paired import (
    LearningGain,
    cohen_dav,
    cohen_dz,
    describe_percentages,
    dz_confidence_interval,
    hake_gain,
    learning_gain,
    mean_normalized_change,
    normalized_change,
    paired_ttest,
    paired_values,
    percent_improved,
    wilcoxon_test,
)

__all__ = [
    "GROUP_VARIABLES", "MIN_GROUP_SIZE", "NOT_RECORDED", "LearningGain",
    "cohen_dav", "cohen_dz", "cronbach_alpha", "describe_percentages", "dz_confidence_interval",
    "confidence_change", "form_percentages", "group_gains", "group_labels", "hake_gain", "is_suppressed",
    "item_matrix", "item_statistics", "kr20",
    "learning_gain", "mean_normalized_change", "normalized_change", "objective_percentages",
    "option_shares", "pair_pre_post", "paired_ttest", "paired_values", "percent_improved", "rating_distribution",
    "survey_groups", "wilcoxon_test",
]
