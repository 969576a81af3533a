"""The errors wpskit raises on purpose.

Every error a participant, facilitator or trainer can cause with bad input is a
``WpskitError``; the CLI catches only this base class and prints it as one red line.
Anything else is a bug and keeps its traceback.

    WpskitError
    ├── InputDataError     a roster, scores CSV, responses file or other data file is wrong
    ├── ItemBankError      the item bank, objectives or a form definition is wrong
    └── CourseError        the nbgrader course is missing, inconsistent or in the wrong state

Messages name the file, the row or item id, and what to do.
"""


class WpskitError(Exception):
    """Base class of every error wpskit raises on purpose."""


class InputDataError(WpskitError):
    """A data file (roster, scores CSV, responses file) cannot be used as it is."""


class ItemBankError(WpskitError):
    """The item bank, the objectives or a form definition is malformed."""


class CourseError(WpskitError):
    """The nbgrader course directory is missing or not in the state a command needs."""
