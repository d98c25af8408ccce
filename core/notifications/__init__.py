"""Messages to learners (application received, decision, waitlist offer), kept in their record
and sent by the jobs worker through a per-channel notifier."""
