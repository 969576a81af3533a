# wpskit's additions to The Littlest JupyterHub (setup.sh installs this file as
# /opt/tljh/config/jupyterhub_config.d/wpskit.py; TLJH reads it after its own config).
c = get_config()  # noqa: F821 (JupyterHub provides get_config)

# Participants land on the module index as pages; JupyterLab is one link away.
c.Spawner.default_url = "/voila/tree/modules"
# Forty servers starting in the same minute on two CPUs: allow them time, and start them
# all at once rather than a few at a time.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 120
c.JupyterHub.concurrent_spawn_limit = 50
