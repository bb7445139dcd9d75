"""Background jobs on a real job queue (Procrastinate): rounds, mail delivery, periodic
chores. See `queue` for how jobs are queued on each database, `tasks` for the jobs."""
