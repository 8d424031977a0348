# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback: seconds per task, written as JSON to $WEBEXOPS_BENCH_TIMING_FILE.

Like ansible.posix.profile_tasks (not installed here), but split in two, which the benchmark needs
to tell the module's own work from Ansible's handling of its result:
  run_s    from the task start to its last host result (for a module: transfer, run, result parse);
  after_s  from that result to the start of the next task (registering, callbacks, next templating).
Tasks of the same name (include_tasks loops) are summed.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: task_timing
type: aggregate
short_description: seconds per task, split into run and after, as JSON (benchmarks only)
description: Writes to the file named by the environment variable E(WEBEXOPS_BENCH_TIMING_FILE).
requirements: [enabled in the callbacks list]
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'task_timing'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._started = time.monotonic()
        self._tasks = {}
        self._order = []
        self._current = None  # [name, started, last result]

    def _close(self, now):
        if self._current is None:
            return
        name, started, last = self._current
        entry = self._tasks.setdefault(name, {'task': name, 'count': 0, 'run_s': 0.0, 'after_s': 0.0})
        if entry['count'] == 0:
            self._order.append(name)
        entry['count'] += 1
        finished = last if last is not None else now
        entry['run_s'] += finished - started
        entry['after_s'] += now - finished
        self._current = None

    def _start(self, task):
        now = time.monotonic()
        self._close(now)
        self._current = [task.get_name().strip(), now, None]

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._start(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._start(task)

    def _result(self, *args, **kwargs):
        if self._current is not None:
            self._current[2] = time.monotonic()

    v2_runner_on_ok = v2_runner_on_failed = v2_runner_on_skipped = v2_runner_on_unreachable = _result

    def v2_playbook_on_stats(self, stats):
        now = time.monotonic()
        self._close(now)
        path = os.environ.get('WEBEXOPS_BENCH_TIMING_FILE')
        if not path:
            return
        tasks = []
        for name in self._order:
            entry = self._tasks[name]
            tasks.append({'task': name, 'count': entry['count'], 'run_s': round(entry['run_s'], 3),
                          'after_s': round(entry['after_s'], 3)})
        with open(path, 'w') as handle:
            json.dump({'playbook_s': round(now - self._started, 3), 'tasks': tasks}, handle, indent=1)
