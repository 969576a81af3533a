"""The workshop room: JupyterHub for participants and facilitators on one machine (service layer).

``settings`` reads the room's small settings file (``hub/settings.yaml``); ``accounts`` makes one
Unix user per participant and facilitator (as The Littlest JupyterHub does) and the printable
login sheet; ``room`` sets up the course, nbgrader's exchange and each role's Jupyter
configuration, and runs JupyterHub with ``hub/jupyterhub_config.py``; ``jupyterhub`` holds the
authenticator and spawner that configuration uses.
"""
