"""Assessment's use cases: the worker's commands (save the survey, submit), the handlers of the events
it consumes, the register's validity job and the read side the API and the pages share. Each takes
its ports (``ports``: the unit of work or store, the clock) as arguments."""
