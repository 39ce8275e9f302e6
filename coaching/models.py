"""Learning communities, their actions and forum, and confidential coaching (issue 5)."""
