"""The coach's profile as the coachee who chooses reads it (issue 14 item 4): a short bio,
an optional photo and the credentials of the professional record still valid."""
