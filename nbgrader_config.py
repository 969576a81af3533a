# nbgrader reads this file from the folder JupyterLab starts in (`make lab` starts it here),
# so formgrader finds the workshop course. The course's own settings are in course/nbgrader_config.py.
import os

c = get_config()  # noqa: F821 (nbgrader provides get_config)
c.CourseDirectory.root = os.path.abspath(os.environ.get("WPSKIT_COURSE", "course"))
