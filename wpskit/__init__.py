"""wpskit: notebooks, assessments and learning-gain reports for a WPS workshop."""

__version__ = "0.1.0"
