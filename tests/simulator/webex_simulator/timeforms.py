"""How times are written in answers: UTC with Z (the default), a zone's offset, fractional seconds.

The published definition shows createTime/timeRecorded as 2024-10-04T16:24:25Z and, when a listing honours
the `timezone` request header, as 2023-10-31T16:24:12+08:00; fractional seconds are valid RFC 3339 too. A
TimeForm writes one instant in one of those forms; every form names the same instant (nothing is rounded
away). Pure: no HTTP, no state.
"""

import dataclasses
import datetime
import zoneinfo

from . import state

MAX_FRACTION_DIGITS = 6
# Longer names are refused without asking the file system (the longest IANA name has 32 characters).
_MAX_ZONE_NAME = 100
_UTC = datetime.timezone.utc


class TimeFormError(ValueError):
    """A time zone name or a fraction setting that cannot be used."""


def zone_named(name, what='timezone'):
    """An IANA time zone name -> ZoneInfo; raises TimeFormError naming ``what`` and the rule."""
    if not isinstance(name, str) or not name.strip():
        raise TimeFormError('%s must be a time zone name of the IANA time zone database (e.g. Asia/Shanghai, UTC), '
                            'not %r' % (what, name))
    name = name.strip()
    if len(name) <= _MAX_ZONE_NAME:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            pass
    raise TimeFormError('%s must be a time zone name of the IANA time zone database (e.g. Asia/Shanghai, UTC), '
                        'not %r' % (what, name[:_MAX_ZONE_NAME]))


def fraction_digits(value, what='time_fraction'):
    """An integer 0..6; raises TimeFormError naming ``what`` and the rule (booleans, text, 2.5 refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_FRACTION_DIGITS:
        raise TimeFormError('%s must be an integer from 0 to %d, not %r' % (what, MAX_FRACTION_DIGITS, value))
    return value


@dataclasses.dataclass(frozen=True)
class TimeForm:
    """How to write an instant: in ``zone`` (None: UTC) with ``fraction`` digits of seconds (0: none).

    - Offset zero is written Z (UTC, Etc/UTC, Europe/London in winter), any other offset +HH:MM / -HH:MM. An
      offset with seconds (local mean time before 1900 in most zones) is cut to whole minutes, and the time is
      written at that offset: the instant stays exact, RFC 3339 has no seconds in offsets.
    - ``fraction`` digits are always written; an instant finer than that is written with 6 digits (never
      rounded to another instant). With 0, that is today's form: whole seconds, 6 digits only when the
      instant has microseconds.
    - An instant that the zone's offset would move outside the years 1 to 9999 is written in UTC.
    """

    zone: datetime.tzinfo = None
    fraction: int = 0

    @property
    def is_default(self):
        return self.zone is None and self.fraction == 0

    def render(self, moment):
        """An aware datetime -> text."""
        if self.is_default:
            return state.iso_z(moment)
        local = self._local(moment)
        text = local.replace(tzinfo=None).isoformat(timespec='seconds')
        microsecond = local.microsecond
        step = 10 ** (MAX_FRACTION_DIGITS - self.fraction)
        if microsecond % step:
            text += '.%06d' % microsecond
        elif self.fraction:
            text += '.' + ('%06d' % microsecond)[:self.fraction]
        return text + _offset_text(local.utcoffset())

    def _local(self, moment):
        utc_moment = moment.astimezone(_UTC)
        if self.zone is None:
            return utc_moment
        try:
            offset = utc_moment.astimezone(self.zone).utcoffset()
            minutes = int(offset.total_seconds() / 60)  # toward zero: -00:17:30 -> -00:17
            return utc_moment.astimezone(datetime.timezone(datetime.timedelta(minutes=minutes)))
        except OverflowError:
            return utc_moment


def _offset_text(offset):
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return 'Z'
    sign = '-' if minutes < 0 else '+'
    hours, minutes = divmod(abs(minutes), 60)
    return '%s%02d:%02d' % (sign, hours, minutes)


@dataclasses.dataclass(frozen=True)
class TimeSettings:
    """The simulator's settings of the time form: ``timezone`` (IANA name or None: UTC) for requests without a
    ``timezone`` header, and ``time_fraction`` (0..6 digits) for every answer."""

    timezone: str = None
    time_fraction: int = 0

    def to_json(self):
        return {'timezone': self.timezone, 'time_fraction': self.time_fraction}

    def form(self, header=None):
        """The form of one answer: the zone of the ``timezone`` header when given (an unknown zone raises
        TimeFormError), else the default zone; a header that is empty or blank counts as absent."""
        if isinstance(header, str) and header.strip():
            zone = zone_named(header, 'the timezone header')
        else:
            zone = zoneinfo.ZoneInfo(self.timezone) if self.timezone else None
        return TimeForm(zone=zone, fraction=self.time_fraction)

    def updated(self, data):
        """A copy with the keys of ``data`` (a dict: timezone, time_fraction) applied; raises TimeFormError."""
        if not isinstance(data, dict):
            raise TimeFormError('settings must be an object, not %r' % (data,))
        unknown = sorted(set(data) - {'timezone', 'time_fraction'})
        if unknown:
            raise TimeFormError('unknown setting(s): %s (known: timezone, time_fraction)' % ', '.join(unknown))
        timezone = self.timezone
        if 'timezone' in data:
            timezone = data['timezone']
            if timezone is None or (isinstance(timezone, str) and not timezone.strip()):
                timezone = None
            else:
                timezone = str(zone_named(timezone, 'timezone').key)
        time_fraction = fraction_digits(data['time_fraction']) if 'time_fraction' in data else self.time_fraction
        return TimeSettings(timezone=timezone, time_fraction=time_fraction)
