# nbgrader for every user of The Littlest JupyterHub (installed by setup.sh into the users'
# environment): the course and the shared exchange of the workshop.
c = get_config()  # noqa: F821 (nbgrader provides get_config)
c.CourseDirectory.course_id = "wps-vn"
c.Exchange.root = "/srv/nbgrader/exchange"
c.Exchange.timezone = "Asia/Ho_Chi_Minh"
