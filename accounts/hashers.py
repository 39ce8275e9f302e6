"""Password hashing: Argon2id with the parameters of the OWASP Password Storage Cheat Sheet."""

from __future__ import annotations

from django.contrib.auth import hashers


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Argon2id with 46 MiB of memory, one pass and one lane: the first of the configurations
    the OWASP Password Storage Cheat Sheet recommends (its minimum is 19 MiB and two passes).

    Django's own defaults (100 MiB, two passes, eight lanes) keep both of our two cores busy for
    about 160 ms per sign-in, which queued sign-ins behind each other at nine in the morning
    (docs/performance.md); this costs one core about 95 ms. A hash made with other parameters
    is made again with these at its owner's next sign-in, as Django does for any hasher.
    """

    time_cost = 1
    memory_cost = 47104
    parallelism = 1
