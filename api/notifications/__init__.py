"""What the service mails besides the invites, through the outbox, in each recipient's
language, never with confidential content: `events` (when something happens), the
periodic `reminders` and `digest`, and each person's `preferences`."""
