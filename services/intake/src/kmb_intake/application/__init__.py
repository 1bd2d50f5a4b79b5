"""Intake's use cases: the commands on cases, contacts and accounts, and the queries the API and the
pages share."""
