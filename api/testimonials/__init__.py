"""Testimonials: quotable texts detached from their author, reviewed by a coach, shown to
HR in batches of at least k (see `api.models.testimonials`)."""
