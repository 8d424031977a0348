# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment:
    """Connection options shared by every module of webexops.recordings (see module_utils/_connection.py)."""

    DOCUMENTATION = r'''
options:
  access_token:
    description:
      - Webex access token (personal, integration or service app token), sent in the C(Authorization) header as a bearer token.
      - Required in effect. When neither this option nor the environment variable E(WEBEX_ACCESS_TOKEN) is set, the module fails before any request.
      - Never logged nor returned.
      - A token the API refuses (HTTP 401, invalid, expired or revoked) fails the task with a message that names this option.
      - If not set, the environment variable E(WEBEX_ACCESS_TOKEN) is used.
    type: str
  api_url:
    description:
      - Base URL of the Webex API, including the version path, so that it ends in C(/v1).
      - Must be an V(http://) or V(https://) URL. A listing or a restore answered HTTP 404 fails the task naming this option and the URL used;
        a server that cannot be reached (connection refused, unknown host, V(https://) to a plain HTTP server) too.
      - If not set, the environment variable E(WEBEX_API_URL) is used, then the default.
    type: str
    default: https://webexapis.com/v1
  validate_certs:
    description:
      - Verify the TLS certificate of the API. Only set to V(false) against a test server.
      - If not set, the environment variable E(WEBEX_VALIDATE_CERTS) is used, then the default.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the certificate authorities that verify the API certificate, instead of the system bundle.
      - Without it, C(requests) honours E(REQUESTS_CA_BUNDLE) and its own bundle.
      - A path that does not exist is refused before any request (unless O(validate_certs=false), which does not use it).
      - If not set, the environment variable E(WEBEX_CA_PATH) is used.
    type: path
  timeout:
    description:
      - Seconds to wait to connect and for each answer of the API.
      - A write that times out has an unknown outcome; it is checked by reading the recordings again, never repeated blindly.
    type: float
    default: 30
  retry_max_wait:
    description:
      - Total seconds spent waiting before retries, summed over all requests of the task (also across concurrent requests).
      - V(429) and V(423) answers wait C(Retry-After) (seconds or HTTP date; 5 s when absent; at most 60 s per wait).
        V(502), V(503), V(504) and connection failures of reads back off exponentially with jitter.
      - Before the first write of the task, a connection that cannot be made at all (refused, unknown host, connect timeout) is
        tried twice, about a second apart, whatever this budget (nothing can be reached); the task fails with the cause within seconds.
      - When the next wait would exceed what is left of this budget, the task stops with the last error and says that the retry budget is exhausted.
      - V(0) never retries.
      - Proxies are taken from the environment (E(HTTPS_PROXY), E(NO_PROXY)) as C(requests) does.
    type: float
    default: 120
'''
