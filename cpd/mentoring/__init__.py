"""Mentors and line managers who vouch for a member's growth: invited by the member, reading what the member shares, commenting, and logging mentoring meetings."""
