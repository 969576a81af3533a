"""``python -m wpskit.cli``, e.g. with a Python whose scripts are not on PATH."""

from wpskit.cli import main

if __name__ == "__main__":  # and not when imported (the doctests import every module of the package)
    main()
