# nbgrader reads this file from the folder JupyterLab starts in (`make lab` starts it here):
# formgrader finds the workshop course, and the Assignments tab the course's exchange.
# The course's own settings are in course/nbgrader_config.py.
import os

c = get_config()  # noqa: F821 (nbgrader provides get_config)
course = os.path.abspath(os.environ.get("WPSKIT_COURSE", "course"))
c.CourseDirectory.root = course
if os.path.isfile(os.path.join(course, "nbgrader_config.py")):
    load_subconfig(os.path.join(course, "nbgrader_config.py"))  # noqa: F821
