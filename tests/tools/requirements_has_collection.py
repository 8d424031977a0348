# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check that a Galaxy requirements file installs a given collection.

Usage: ``requirements_has_collection.py REQUIREMENTS_YML NAMESPACE.NAME``

Exits 0 when the ``collections`` list of REQUIREMENTS_YML (entries as plain names or as mappings
with ``name``) has NAMESPACE.NAME, else prints the names it has and exits 1. Used by stage
execution-environment (tests/ci/85-execution-environment.sh) on the build context that
``ansible-builder create`` writes.
"""

import argparse
import sys

import yaml


def collection_names(requirements):
    """Return the collection names of a loaded requirements.yml, in file order."""
    entries = (requirements or {}).get('collections') or []
    return [entry['name'] if isinstance(entry, dict) else entry for entry in entries]


def main():
    """Exit 0 if the requirements file lists the collection, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('requirements', help='a Galaxy requirements.yml')
    parser.add_argument('collection', help='NAMESPACE.NAME')
    args = parser.parse_args()
    with open(args.requirements, encoding='utf-8') as stream:
        names = collection_names(yaml.safe_load(stream))
    if args.collection not in names:
        print('%s does not name %s; its collections: %s' % (args.requirements, args.collection, names),
              file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
