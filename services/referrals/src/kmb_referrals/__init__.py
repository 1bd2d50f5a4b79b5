"""KMB referrals service."""
