"""Chemistry calls: a short call with a proposed coach, booked by the coachee before
choosing (issue 14 item 4)."""
