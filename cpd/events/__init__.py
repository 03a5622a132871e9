"""Courses, conferences with programmes, SIG sessions and outreach events; bookings, the waiting
list, attendance, calendars and notices."""
