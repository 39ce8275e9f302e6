"""Who may read the audit trail (registered with django-rules).

Only the organisation's HR admins read it; the view scopes the events to their organisation.
"""

from __future__ import annotations

import rules

from accounts.rules import is_hr_admin

rules.add_perm("privacy.view_audit", is_hr_admin)
