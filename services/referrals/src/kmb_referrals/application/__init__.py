"""Referrals' use cases: the domain applied to the database, the outbox and the partner topics."""
