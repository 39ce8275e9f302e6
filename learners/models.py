"""Participants' own learning: assessments, SWOT, learning plans, reflections (issue 4)."""
