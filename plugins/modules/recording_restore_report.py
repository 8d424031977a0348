#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection

# The documentation of the action plugins/action/recording_restore_report.py, which does the work on the controller.

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: recording_restore_report
short_description: Prepare and write the audit report of a recording_restore run (used by the role)
version_added: 0.3.0
description:
  - The report step of the role C(webexops.recordings.recording_restore). It sends nothing to Webex.
  - "With O(state=ready), before the first request of a run: creates the folder of O(path) when it is missing (with its missing
    parents, mode O(dir_mode)), fails when the run's own files C(PATH.json) or C(PATH.csv) exist (a report is never
    overwritten) or when C(LATEST_PATH.json) or C(LATEST_PATH.csv) is a folder, and writes a probe file in the folder and
    removes it. A run whose report could not be written fails here, before anything is restored."
  - "With O(state=written), after the run: renders the summary made by the filter
    P(webexops.recordings.restore_summary#filter) into the printed table, the job artifacts and both reports (as
    P(webexops.recordings.restore_report_texts#filter) does), creates C(PATH.json) and C(PATH.csv) (never overwriting
    a file), replaces C(LATEST_PATH.json) and C(LATEST_PATH.csv) whole with copies of them, then removes the journal
    O(journal), whose entries the report now holds. Without O(path) it only renders."
  - It runs on the controller and runs no module, so it needs no Python on a managed host; it refuses any host whose
    connection is not C(local), because the journal of M(webexops.recordings.webex_recording_restore) that the role
    reads is on the controller too.
  - Creating the folder and writing the report never count as a change.
author:
  - Contributors to the webexops.recordings collection (@webexops)
attributes:
  action:
    description: All of the work is done by the action plugin on the controller.
    support: full
  async:
    description: Writes files on the controller in the task itself.
    support: none
  check_mode:
    description: >-
      Runs in check mode too: the report records a check run as well (its run id ends in C(-check)), and it changes
      nothing that is managed. A check run leaves the journal for the real run's report.
    support: full
  diff_mode:
    description: Nothing that is managed changes, so there is no diff.
    support: none
  platform:
    description: The controller, with the play on C(localhost).
    support: full
    platforms: posix
options:
  state:
    description:
      - V(ready) prepares the destination of the report (before the first request); V(written) renders and writes it.
    type: str
    choices: [ready, written]
    default: written
  summary:
    description:
      - The summary of the run, as P(webexops.recordings.restore_summary#filter) makes it (a dict, or its JSON text).
      - Required with O(state=written).
    type: raw
  path:
    description:
      - The run's own report files without their extension, an absolute path; C(.json) and C(.csv) are added.
      - Required with O(state=ready). Without it, O(state=written) writes no file.
    type: str
  latest_path:
    description:
      - The copies of the latest run's report without their extension, an absolute path; C(.json) and C(.csv) are added.
        Each is replaced whole (written beside it, then renamed over it), so that a reader never sees half a report.
      - Needs O(path).
    type: str
  mode:
    description:
      - The permissions of the report files, an octal text such as V('0640').
    type: raw
    default: '0640'
  dir_mode:
    description:
      - The permissions of a report folder that O(state=ready) creates, and of its missing parents. An existing folder is
        left as it is.
    type: raw
    default: '0750'
  journal:
    description:
      - An absolute path of a journal to remove once the report is written (O(state=written), not in check mode).
        A missing journal is not an error.
    type: str
notes:
  - The role runs it twice, with the names of its files made from C(recording_restore_report_path) and the run id; use
    the role rather than this directly.
seealso:
  - module: webexops.recordings.webex_recording_restore
'''

EXAMPLES = r'''
- name: Before the first request, check that the report can be written
  webexops.recordings.recording_restore_report:
    state: ready
    path: /var/tmp/restore-incident-4711-20261206T013000Z
    latest_path: /var/tmp/restore-incident-4711-latest

- name: After the runs, write the report and remove the journal it now holds
  webexops.recordings.recording_restore_report:
    summary: "{{ summary_text }}"
    path: /var/tmp/restore-incident-4711-20261206T013000Z
    latest_path: /var/tmp/restore-incident-4711-latest
    journal: /var/tmp/restore-incident-4711.journal.jsonl
  register: report

- name: Show the table
  ansible.builtin.debug:
    msg: "{{ report.lines }}"
'''

RETURN = r'''
folder_created:
  description: Whether the folder of O(path) was missing and was created.
  returned: with O(state=ready)
  type: bool
  sample: false
files:
  description:
    - The report files by kind (V(json), V(csv), and with O(latest_path) V(latest_json), V(latest_csv)).
    - With O(state=ready), the run's files that will be written; with O(state=written), those written (none without O(path)).
  returned: always
  type: dict
  sample: {"json": "/var/tmp/r-20261206T013000Z.json", "csv": "/var/tmp/r-20261206T013000Z.csv"}
lines:
  description: The printed table of the summary, a line per item.
  returned: with O(state=written)
  type: list
  elements: str
stats:
  description:
    - "What the role publishes with C(ansible.builtin.set_stats) (as P(webexops.recordings.restore_report_stats#filter)
      makes it): the run, the selection, the totals, the owners by outcome, the failed rows and the errors."
  returned: with O(state=written)
  type: dict
error:
  description:
    - Why the files could not be written (then the task fails, and the journal is kept), else empty. O(state=written)
      renders the table and the artifacts first, so that they are returned even then.
  returned: with O(state=written)
  type: str
  sample: ''
journal_removed:
  description: Whether the journal was there and was removed.
  returned: with O(state=written)
  type: bool
  sample: true
'''
