# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip bootstrap script that ansible-test downloads.

ansible-test fetches get-pip-<version>.py from a host that CI cannot reach. It runs the cached copy
with pip's own arguments (``pip==24.2 ...``). This stand-in runs pip from the wheel bundled with
CPython's ensurepip instead and installs the requested packages from the package index.
The test harness copies it to ``~/.ansible/test/cache/get_pip_<version>.py``.
"""

import glob
import os
import sys

import ensurepip

# get-pip knows these flags; pip install does not.
GET_PIP_ONLY_FLAGS = ('--no-setuptools', '--no-wheel')


def bundled_pip_wheel():
    """Return the path of the pip wheel that ships with this interpreter."""
    bundled = os.path.join(os.path.dirname(ensurepip.__file__), '_bundled')
    wheels = sorted(glob.glob(os.path.join(bundled, 'pip-*.whl')))
    if not wheels:
        raise SystemExit('no bundled pip wheel in %s' % bundled)
    return wheels[-1]


def main():
    """Install the requested packages with the bundled pip."""
    sys.path.insert(0, bundled_pip_wheel())
    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel

    arguments = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_FLAGS]
    return pip_main(['install', '--upgrade', '--force-reinstall'] + arguments)


if __name__ == '__main__':
    sys.exit(main())
