"""wpskit: notebooks, assessments and learning-gain reports for a WPS workshop."""

from wpskit.language import use_language

__version__ = "0.1.0"
__all__ = ["use_language", "__version__"]
