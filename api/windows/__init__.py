"""A coachee's or sponsor's own availability: weekly windows in their zone and time away."""
