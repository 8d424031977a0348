"""Injected faults: error statuses, latency, dropped connections, hangs and a revoked token.

A fault matches a request by optional method and path; `next` N makes it count N matching requests and
then expire; `rate` makes it fire with that probability, drawn from a generator seeded with the
simulator's random seed (re-seeded whenever the fault list is replaced, so a run is reproducible).
`revoke` lets `after` N matching requests through, then answers every matching request 401 until the
faults are reset or replaced (a token that expires or is revoked mid-run); it takes no `next` or `rate`.
"""

import dataclasses
import random
import threading

KINDS = ('status', 'latency', 'drop', 'hang', 'revoke')
# Every error status the reference says any call may answer: the transient ones (423, 429, 5xx) for
# retry tests, the others for tests of how a refusal is reported (a 403 on one endpoint, a 409 on a
# write) without a scenario that makes the API refuse for real.
FAULT_STATUSES = (400, 401, 403, 404, 405, 409, 410, 415, 423, 428, 429, 500, 502, 503, 504)
DROP_WHEN = ('before', 'after')

_FIELDS_BY_KIND = {
    'status': ('status', 'retry_after', 'when'),
    'latency': ('seconds',),
    'drop': ('when',),
    'hang': ('seconds',),
    'revoke': ('after',),
}
_COMMON_FIELDS = ('next', 'rate', 'method', 'path')
# A revoked token stays revoked: no expiry (next) and no chance (rate).
_COMMON_FIELDS_BY_KIND = {'revoke': ('method', 'path')}


def _common_fields(kind):
    return _COMMON_FIELDS_BY_KIND.get(kind, _COMMON_FIELDS)


class FaultError(ValueError):
    """A fault definition that cannot be used."""


@dataclasses.dataclass
class Fault:
    kind: str
    status: int = None
    retry_after: str = None
    seconds: float = None
    when: str = None
    after: int = None
    next: int = None
    rate: float = None
    method: str = None
    path: str = None

    def matches(self, method, path, endpoint):
        if self.method is not None and self.method != method:
            return False
        if self.path is None:
            return True
        if self.path.endswith('*'):
            return path.startswith(self.path[:-1])
        # The path may also name an endpoint template, e.g. /v1/convergedRecordings/{recordingId}.
        return self.path == path or (endpoint is not None and endpoint.split(' ', 1)[1] == self.path)

    def to_json(self):
        data = {'kind': self.kind}
        for name in _FIELDS_BY_KIND[self.kind] + _common_fields(self.kind):
            data[name] = getattr(self, name)
        return data


def _number(name, value, convert, low=None, high=None):
    if isinstance(value, bool):
        raise FaultError('%s must be a number, not %r' % (name, value))
    try:
        number = convert(value)
    except (TypeError, ValueError):
        raise FaultError('%s must be a number, not %r' % (name, value)) from None
    if convert is int and isinstance(value, float) and value != number:
        raise FaultError('%s must be an integer, not %r' % (name, value))
    if high is None and low is not None and number < low:
        raise FaultError('%s must be at least %s, not %r' % (name, low, value))
    if (low is not None and number < low) or (high is not None and number > high):
        raise FaultError('%s must be between %s and %s, not %r' % (name, low, high, value))
    return number


def parse_fault(data):
    """A fault from its JSON form (see docs/simulator.md); raises FaultError."""
    if not isinstance(data, dict):
        raise FaultError('a fault must be an object, not %r' % (data,))
    kind = data.get('kind')
    if kind not in KINDS:
        raise FaultError('kind must be one of %s, not %r' % (', '.join(KINDS), kind))
    known = ('kind',) + _FIELDS_BY_KIND[kind] + _common_fields(kind)
    unknown = sorted(set(data) - set(known))
    if unknown:
        if kind == 'revoke' and set(unknown) & {'next', 'rate'}:
            raise FaultError('a revoke fault takes no next or rate (the token stays revoked until the faults are '
                             'reset or replaced); use after N to let N requests through first')
        raise FaultError('unknown field(s) for a %s fault: %s' % (kind, ', '.join(unknown)))
    values = {name: data.get(name) for name in known if data.get(name) is not None}
    fault = Fault(kind=kind)
    if kind == 'status':
        fault.status = _number('status', values.get('status'), int)
        if fault.status not in FAULT_STATUSES:
            raise FaultError('status must be one of %s' % ', '.join(str(status) for status in FAULT_STATUSES))
        if 'retry_after' in values:
            fault.retry_after = str(values['retry_after'])
        # when=after: the request is applied, then answered with the status (a 504 from a gateway that gave up
        # waiting for a backend that did the work): an unknown outcome for a write.
        fault.when = values.get('when', 'before')
        if fault.when not in DROP_WHEN:
            raise FaultError('when must be before or after, not %r' % (fault.when,))
    elif kind in ('latency', 'hang'):
        fault.seconds = _number('seconds', values.get('seconds'), float, 0, 3600)
    elif kind == 'revoke':
        fault.after = _number('after', values.get('after', 0), int, 0)
    else:
        fault.when = values.get('when', 'before')
        if fault.when not in DROP_WHEN:
            raise FaultError('when must be before or after, not %r' % (fault.when,))
    if 'next' in values:
        fault.next = _number('next', values['next'], int, 1)
    if 'rate' in values:
        fault.rate = _number('rate', values['rate'], float, 0.0, 1.0)
    if 'method' in values:
        fault.method = str(values['method']).upper()
    if 'path' in values:
        fault.path = str(values['path'])
    return fault


def parse_fault_spec(spec):
    """CLI form `kind:key=value:key=value`, e.g. `status:status=429:retry_after=1:next=3`."""
    kind, *pairs = spec.split(':')
    data = {'kind': kind}
    for pair in pairs:
        name, separator, value = pair.partition('=')
        if not separator or not name:
            raise FaultError('expected key=value in fault %r, got %r' % (spec, pair))
        data[name] = value
    return parse_fault(data)


@dataclasses.dataclass
class Decision:
    """What to do to one request: wait latency seconds, then apply action (None: answer normally; a status,
    drop, hang or revoke Fault otherwise)."""

    latency: float = 0.0
    action: Fault = None


class FaultPlan:
    """The active faults; thread-safe."""

    def __init__(self, random_seed=0):
        self._random_seed = random_seed
        self._random = random.Random(random_seed)
        self._faults = []
        self._lock = threading.Lock()

    def replace(self, faults):
        with self._lock:
            self._faults = list(faults)
            self._random = random.Random(self._random_seed)

    def to_json(self):
        with self._lock:
            return [fault.to_json() for fault in self._faults]

    def decide(self, method, path, endpoint):
        decision = Decision()
        with self._lock:
            for fault in list(self._faults):
                if decision.action is not None and fault.kind != 'latency':
                    continue
                if not fault.matches(method, path, endpoint):
                    continue
                if fault.kind == 'revoke' and fault.after > 0:
                    # One of the requests the token still serves: counted, not faulted.
                    fault.after -= 1
                    continue
                if fault.next is not None:
                    fault.next -= 1
                    if fault.next <= 0:
                        self._faults.remove(fault)
                if fault.rate is not None and self._random.random() >= fault.rate:
                    continue
                if fault.kind == 'latency':
                    decision.latency += fault.seconds
                else:
                    decision.action = fault
        return decision
