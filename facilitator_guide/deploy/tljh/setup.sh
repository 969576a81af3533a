#!/usr/bin/env bash
# The Littlest JupyterHub on one cloud server (Ubuntu 22.04 or 24.04, 2 CPUs / 16 GB for 40
# participants), with wpskit, the modules and nbgrader's exchange for every user.
# Run as root from a checkout of this project on the server:
#     sudo facilitator_guide/deploy/tljh/setup.sh FACILITATOR_LOGIN
# Safe to run again (after `git pull`, to update wpskit and the modules for new users).
set -euo pipefail
admin=${1:?usage: setup.sh FACILITATOR_LOGIN}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)

# 1. TLJH itself (needs the internet once; the room later needs none).
if [ ! -x /opt/tljh/user/bin/python ]; then
    curl -fsSL https://tljh.jupyter.org/bootstrap.py | python3 - --admin "$admin"
fi

# 2. wpskit in the users' environment, at the versions tested together.
/opt/tljh/user/bin/python -m pip install -q -c "$repo/constraints.txt" "$repo"

# 3. Every new user's home starts with the modules (useradd copies /etc/skel); the item bank
#    sits where facilitators build the course from.
rm -rf /etc/skel/modules && cp -r "$repo/modules" /etc/skel/modules
install -d -m 0755 /opt/wpskit && rm -rf /opt/wpskit/assessments && cp -r "$repo/assessments" /opt/wpskit/

# 4. nbgrader's exchange, shared by all users with nbgrader's own permissions.
install -d -m 0777 /srv/nbgrader/exchange
install -D -m 0644 "$here/nbgrader_config.py" /opt/tljh/user/etc/jupyter/nbgrader_config.py

# 5. The hub: participants land on the pages; wpskit's limits for a room of 40.
install -D -m 0644 "$here/jupyterhub_config.py" /opt/tljh/config/jupyterhub_config.d/wpskit.py
tljh-config set limits.memory 1G
tljh-config set services.cull.timeout 10800
tljh-config reload
echo "The Littlest JupyterHub is ready: log in as $admin at http://$(hostname -I | cut -d' ' -f1)/"
