"""Special interest groups: members join; leads, appointed by staff, run the group's sessions."""
