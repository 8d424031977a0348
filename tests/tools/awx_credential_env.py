# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render the environment injectors of an AWX credential type, the way the controller does.

Usage: ``awx_credential_env.py CREDENTIAL_TYPE_YML [--input ID=VALUE]...``

Prints one ``NAME=VALUE`` line per ``injectors.env`` entry of the credential type (for example
``docs/awx/credential_type.yml``), rendered with the given credential inputs. Like AWX, a string
input left empty is not in the template namespace (it renders as ``""``) and a boolean input left
unset is ``False``. Used by stage build-install (tests/ci/80-build-install.sh) to run a playbook
with exactly the environment that the credential injects.
"""

import argparse

import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment


def parse_input(text):
    """Return (ID, VALUE) of an ``ID=VALUE`` argument."""
    name, sep, value = text.partition('=')
    if not sep or not name:
        raise argparse.ArgumentTypeError('expected ID=VALUE, got %r' % text)
    return name, value


def render_env(credential_type, inputs):
    """Return [(NAME, VALUE)] of the credential type's env injectors rendered with inputs."""
    namespace = {name: value for name, value in inputs.items() if value}
    for field in credential_type['inputs']['fields']:
        if field['type'] == 'boolean' and field['id'] not in namespace:
            namespace[field['id']] = False
    sandbox = ImmutableSandboxedEnvironment()
    return [(name, sandbox.from_string(template).render(**namespace))
            for name, template in credential_type['injectors']['env'].items()]


def main():
    """Print the injected environment, one NAME=VALUE line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('credential_type', help='YAML file of the credential type (inputs, injectors)')
    parser.add_argument('--input', dest='inputs', action='append', type=parse_input, default=[],
                        metavar='ID=VALUE', help='a credential input (repeatable)')
    args = parser.parse_args()
    with open(args.credential_type, encoding='utf-8') as stream:
        credential_type = yaml.safe_load(stream)
    for name, value in render_env(credential_type, dict(args.inputs)):
        print('%s=%s' % (name, value))


if __name__ == '__main__':
    main()
