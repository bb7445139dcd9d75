"""The coach's professional record: certifications, supervision, accreditation, peer
group, and the external coaches' referencing workflow; lapse reminders."""
