# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the offline variant of an execution environment definition.

Usage: ``ee_offline_variant.py EE_YML OUTPUT_YML TARBALL``

Copies the ansible-builder definition EE_YML (docs/examples/execution-environment.yml) to
OUTPUT_YML with the change that the example describes for builds without Galaxy: the galaxy
dependencies become the collection tarball TARBALL (a file name, such as
``webexops-recordings-0.1.0.tar.gz``), shipped in the build context's ``collections/`` directory
by ``additional_build_files``. Used by stage execution-environment
(tests/ci/85-execution-environment.sh).
"""

import argparse

import yaml


def offline_variant(spec, tarball):
    """Return the definition spec changed to install tarball from the build context."""
    spec['dependencies']['galaxy'] = {'collections': [{'name': 'collections/' + tarball, 'type': 'file'}]}
    spec['additional_build_files'] = [{'src': 'webexops-recordings-*.tar.gz', 'dest': 'collections'}]
    return spec


def main():
    """Read EE_YML, write OUTPUT_YML."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('definition', help='the execution environment definition to start from')
    parser.add_argument('output', help='where to write the offline variant')
    parser.add_argument('tarball', help='file name of the collection tarball in the build context')
    args = parser.parse_args()
    with open(args.definition, encoding='utf-8') as stream:
        spec = yaml.safe_load(stream)
    with open(args.output, 'w', encoding='utf-8') as stream:
        yaml.safe_dump(offline_variant(spec, args.tarball), stream, sort_keys=False)


if __name__ == '__main__':
    main()
